import { formatDate } from '@vitals/react';
import { WithdrawDialog } from './WithdrawDialog';

/** Asks for confirmation before a waiver is withdrawn; `onConfirm` withdraws it. */
export function WithdrawWaiverDialog(props: {
  checkTitle: string;
  waiver: { reason: string; expiresAt: string };
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  return (
    <WithdrawDialog
      id="withdraw-waiver-title"
      title={<>Withdraw the waiver of “{props.checkTitle}”?</>}
      confirmLabel="Withdraw waiver"
      failure="Could not withdraw the waiver"
      onClose={props.onClose}
      onConfirm={props.onConfirm}
    >
      The waiver (until {formatDate(props.waiver.expiresAt)}:{' '}
      {props.waiver.reason}) stops applying now, and the check counts towards
      the level and score again. The waiver stays on record as withdrawn.
    </WithdrawDialog>
  );
}
