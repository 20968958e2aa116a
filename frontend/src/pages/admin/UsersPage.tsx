import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '../../api/queryKeys';
import type { Role } from '../../api/model';
import { listUsers } from '../../api/users';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../usePageTitle';
import { UserRow } from '../../users/UserRow';

export function UsersPage() {
  usePageTitle('Users');
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const filters = { q, role };
  const users = useQuery({ queryKey: queryKeys.userList(filters), queryFn: () => listUsers(filters) });
  return (
    <>
      <h1>Users</h1>
      <div className="row" role="search" aria-label="Find users">
        <label>
          Email contains
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">Any</option>
            <option value="customer">Customer</option>
            <option value="admin">Staff</option>
          </select>
        </label>
      </div>
      {users.isPending && <Loading label="Loading users…" />}
      {users.isError && <ErrorNotice error={users.error} />}
      {users.isSuccess && users.data.items.length === 0 && <p className="empty">No user matches.</p>}
      {users.isSuccess && users.data.items.length > 0 && (
        <table>
          <caption>Accounts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Access</th>
              <th scope="col">Change role</th>
              <th scope="col">Change access</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <UserRow key={user.id} user={user} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
