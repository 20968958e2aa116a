import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/queryKeys';
import { updateUser, type StaffUser } from '../api/users';
import { ConfirmAction } from '../components/ConfirmAction';

/** One account with its two changes; each asks once more and shows its own failure (e.g. a 409). */
export function UserRow({ user }: { user: StaffUser }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.users });
  const roleChange = useMutation({
    mutationFn: () => updateUser(user.id, { role: user.role === 'admin' ? 'customer' : 'admin' }),
    onSuccess: refresh,
  });
  const accessChange = useMutation({
    mutationFn: () => updateUser(user.id, { disabled: !user.disabled }),
    onSuccess: refresh,
  });
  const promote = user.role !== 'admin';
  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.role === 'admin' ? 'Staff' : 'Customer'}</td>
      <td>{user.disabled ? 'Disabled' : 'Active'}</td>
      <td>
        <ConfirmAction
          label={promote ? 'Make staff' : 'Make customer'}
          question={promote ? `Give ${user.email} staff rights?` : `Take staff rights from ${user.email}?`}
          confirmLabel={promote ? 'Yes, make staff' : 'Yes, make customer'}
          keepLabel="Keep as is"
          pending={roleChange.isPending}
          pendingLabel="Saving…"
          error={roleChange.error}
          onConfirm={() => roleChange.mutate()}
          onKeep={() => roleChange.reset()}
        />
      </td>
      <td>
        <ConfirmAction
          label={user.disabled ? 'Enable' : 'Disable'}
          question={
            user.disabled ? `Let ${user.email} sign in again?` : `Disable ${user.email}? They are signed out at once.`
          }
          confirmLabel={user.disabled ? 'Yes, enable' : 'Yes, disable'}
          keepLabel="Keep as is"
          danger={!user.disabled}
          pending={accessChange.isPending}
          pendingLabel="Saving…"
          error={accessChange.error}
          onConfirm={() => accessChange.mutate()}
          onKeep={() => accessChange.reset()}
        />
      </td>
    </tr>
  );
}
