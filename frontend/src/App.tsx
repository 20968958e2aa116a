import { Route, Routes } from 'react-router';
import { RequireAdmin, RequireSignedIn } from './components/Guards';
import { Layout } from './Layout';
import { AdminOrderPage } from './pages/admin/AdminOrderPage';
import { AdminOrdersPage } from './pages/admin/AdminOrdersPage';
import { AdminProductsPage } from './pages/admin/AdminProductsPage';
import { CsvPage } from './pages/admin/CsvPage';
import { DashboardPage } from './pages/admin/DashboardPage';
import { LowStockPage } from './pages/admin/LowStockPage';
import { NewProductPage } from './pages/admin/NewProductPage';
import { ProductManagePage } from './pages/admin/ProductManagePage';
import { PurchaseOrderPage } from './pages/admin/PurchaseOrderPage';
import { PurchaseOrdersPage } from './pages/admin/PurchaseOrdersPage';
import { RestockPage } from './pages/admin/RestockPage';
import { UsersPage } from './pages/admin/UsersPage';
import { WebhooksPage } from './pages/admin/WebhooksPage';
import { CartPage } from './pages/CartPage';
import { CataloguePage } from './pages/CataloguePage';
import { LandingPage } from './pages/LandingPage';
import { MyOrdersPage } from './pages/MyOrdersPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrderPage } from './pages/OrderPage';
import { RegisterPage } from './pages/RegisterPage';
import { RouteFocus } from './RouteFocus';
import { SessionCacheReset } from './SessionCacheReset';

export function App() {
  return (
    <>
      <SessionCacheReset />
      <RouteFocus />
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<LandingPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route path="products" element={<CataloguePage />} />
          <Route path="cart" element={<CartPage />} />
          <Route path="orders" element={<RequireSignedIn><MyOrdersPage /></RequireSignedIn>} />
          <Route path="orders/:id" element={<RequireSignedIn><OrderPage /></RequireSignedIn>} />
          <Route path="admin" element={<RequireAdmin><DashboardPage /></RequireAdmin>} />
          <Route path="admin/csv" element={<RequireAdmin><CsvPage /></RequireAdmin>} />
          <Route path="admin/products" element={<RequireAdmin><AdminProductsPage /></RequireAdmin>} />
          <Route path="admin/products/new" element={<RequireAdmin><NewProductPage /></RequireAdmin>} />
          <Route path="admin/products/:id" element={<RequireAdmin><ProductManagePage /></RequireAdmin>} />
          <Route path="admin/low-stock" element={<RequireAdmin><LowStockPage /></RequireAdmin>} />
          <Route path="admin/restock" element={<RequireAdmin><RestockPage /></RequireAdmin>} />
          <Route path="admin/purchase-orders" element={<RequireAdmin><PurchaseOrdersPage /></RequireAdmin>} />
          <Route path="admin/purchase-orders/:id" element={<RequireAdmin><PurchaseOrderPage /></RequireAdmin>} />
          <Route path="admin/orders" element={<RequireAdmin><AdminOrdersPage /></RequireAdmin>} />
          <Route path="admin/orders/:id" element={<RequireAdmin><AdminOrderPage /></RequireAdmin>} />
          <Route path="admin/users" element={<RequireAdmin><UsersPage /></RequireAdmin>} />
          <Route path="admin/webhooks" element={<RequireAdmin><WebhooksPage /></RequireAdmin>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
