import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { logout } from './api/auth';
import { clearToken } from './api/session';
import { useSession } from './auth';
import { cartCount, useCart } from './cart/cartStore';

export function Layout() {
  const session = useSession();
  const cart = useCart();
  const navigate = useNavigate();
  const location = useLocation();
  const count = cartCount(cart);

  // The API is told first so the token stops working everywhere; the tab forgets it either way,
  // since a person who asked to sign out must not stay signed in because the network failed.
  async function signOut() {
    try {
      await logout();
    } catch {
      // Already expired or unreachable: dropping the token below still signs this tab out.
    }
    clearToken();
    navigate('/');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <NavLink to="/" className="brand">
            The shop
          </NavLink>
          <nav aria-label="Main">
            <ul className="nav-list">
              <li>
                <NavLink to="/products">Catalogue</NavLink>
              </li>
              <li>
                <NavLink to="/cart">
                  Cart
                  {count > 0 && (
                    <>
                      <span className="count" aria-hidden="true">
                        {count}
                      </span>
                      <span className="visually-hidden">, {count} items</span>
                    </>
                  )}
                </NavLink>
              </li>
              {session.token && (
                <li>
                  <NavLink to="/orders">My orders</NavLink>
                </li>
              )}
            </ul>
          </nav>
          {session.isAdmin && (
            <nav aria-label="Staff">
              <ul className="nav-list staff">
                <li>
                  <NavLink to="/admin" end>
                    Dashboard
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/products">Products</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/low-stock">Low stock</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/restock">Restock</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/purchase-orders">Purchase orders</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/orders">All orders</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/users">Users</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/csv">Import / export</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/webhooks">Webhooks</NavLink>
                </li>
              </ul>
            </nav>
          )}
          <div className="account">
            {session.token ? (
              <>
                {session.user && (
                  <span className="muted who">
                    {session.user.email}
                    {session.isAdmin && ' (staff)'}
                  </span>
                )}
                <button type="button" className="link-button" onClick={() => void signOut()}>
                  Sign out
                </button>
              </>
            ) : (
              <>
                <NavLink to="/" state={location.pathname === '/' ? undefined : { from: location.pathname + location.search }}>
                  Sign in
                </NavLink>
                <NavLink to="/register">Register</NavLink>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
