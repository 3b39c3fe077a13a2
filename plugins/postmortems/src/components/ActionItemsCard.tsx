import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Chip, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import { ActionItem, Postmortem } from '@vitals/plugin-postmortems-common';
import {
  entityRefLabel,
  formatDateTime,
  formatUtcDate,
  nowrapColumn,
} from '@vitals/react';
import { useState } from 'react';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { CreateActionItemDialog } from './CreateActionItemDialog';
import { debtStatusLabel, OverdueChip } from './format';
import { LinkActionItemDialog } from './LinkActionItemDialog';
import { useEntityPaths } from './useEntityPaths';

/**
 * A postmortem's action items: each a debt item in the tech-debt register, with its live status and owner and a link
 * into the register. Owners create new debt items from here or link existing ones; publishing the postmortem does not
 * close them.
 */
export function ActionItemsCard(props: {
  postmortem: Postmortem;
  items: ActionItem[];
  canEdit: boolean;
  onChanged: () => void;
}) {
  const { postmortem, items, canEdit, onChanged } = props;
  const api = useApi(postmortemsApiRef);
  const paths = useEntityPaths();
  const [dialog, setDialog] = useState<'create' | 'link'>();
  const [removing, setRemoving] = useState<string>();
  const [error, setError] = useState<string>();

  const remove = async (item: ActionItem) => {
    setRemoving(item.debtItemId);
    setError(undefined);
    try {
      await api.unlinkActionItem(postmortem.id, item.debtItemId);
      onChanged();
    } catch (e) {
      setError(`Could not remove the action item: ${describeApiError(e)}`);
    } finally {
      setRemoving(undefined);
    }
  };

  const columns: TableColumn<ActionItem>[] = [
    {
      title: 'Debt item',
      render: item => (
        <>
          {item.debt ? (
            <Link to={paths.techDebt(item.debt.entityRef)}>
              {item.debt.title}
            </Link>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No longer in the register ({item.debtItemId})
            </Typography>
          )}
          <Typography variant="caption" color="textSecondary" component="div">
            {item.origin === 'created'
              ? 'Created from this postmortem'
              : 'Linked from the register'}
            {item.debt ? ` · ${entityRefLabel(item.debt.entityRef)}` : ''}
          </Typography>
        </>
      ),
    },
    {
      title: 'Status',
      render: item =>
        item.debt ? (
          <Chip size="small" label={debtStatusLabel(item.debt.status)} />
        ) : (
          '—'
        ),
      ...nowrapColumn(),
    },
    {
      title: 'Owner',
      render: item =>
        item.debt ? (
          <>
            {item.debt.ownerRef ? entityRefLabel(item.debt.ownerRef) : '—'}
            <Typography variant="caption" color="textSecondary" component="div">
              {item.debt.assignee
                ? `Assigned to ${entityRefLabel(item.debt.assignee)}`
                : 'Unassigned'}
            </Typography>
          </>
        ) : (
          '—'
        ),
    },
    {
      title: 'Due',
      render: item => (
        <Box display="flex" alignItems="center">
          {item.dueDate ? formatUtcDate(item.dueDate) : 'No due date'}
          {item.overdue && (
            <OverdueChip
              title={`Still ${
                item.debt ? debtStatusLabel(item.debt.status) : 'open'
              } after its due date`}
            />
          )}
        </Box>
      ),
      ...nowrapColumn(),
    },
  ];
  if (canEdit) {
    columns.push({
      title: '',
      render: item => (
        <Button
          size="small"
          disabled={removing === item.debtItemId}
          onClick={() => remove(item)}
          aria-label={`Remove action item ${
            item.debt?.title ?? item.debtItemId
          }`}
        >
          Remove
        </Button>
      ),
    });
  }

  const checkedAt = items
    .map(i => i.debtCheckedAt)
    .filter((t): t is string => !!t)
    .sort()[0];

  return (
    <InfoCard
      title={`Action items (${items.length})`}
      subheader="Each one is a debt item in the tech-debt register, tracked there after the postmortem is published."
    >
      {error && (
        <Box mb={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {canEdit && (
        <Box display="flex" mb={2} style={{ gap: 8 }}>
          <Button
            variant="contained"
            color="primary"
            onClick={() => setDialog('create')}
          >
            Create debt item
          </Button>
          <Button variant="outlined" onClick={() => setDialog('link')}>
            Link existing debt item
          </Button>
        </Box>
      )}
      {items.length === 0 ? (
        <Typography>
          {canEdit
            ? 'No action items yet. Create a debt item for each improvement this incident calls for, or link one already in the register.'
            : 'No action items were recorded for this postmortem.'}
        </Typography>
      ) : (
        <>
          <Table<ActionItem>
            columns={columns}
            data={items}
            options={{
              paging: false,
              search: false,
              toolbar: false,
              padding: 'dense',
            }}
          />
          {checkedAt && (
            <Typography variant="caption" color="textSecondary" component="p">
              Status and owner as the register had them at{' '}
              {formatDateTime(checkedAt)}.
            </Typography>
          )}
        </>
      )}
      {dialog === 'create' && (
        <CreateActionItemDialog
          postmortem={postmortem}
          onClose={() => setDialog(undefined)}
          onCreated={() => {
            setDialog(undefined);
            onChanged();
          }}
        />
      )}
      {dialog === 'link' && (
        <LinkActionItemDialog
          postmortem={postmortem}
          linkedIds={items.map(i => i.debtItemId)}
          onClose={() => setDialog(undefined)}
          onLinked={() => {
            setDialog(undefined);
            onChanged();
          }}
        />
      )}
    </InfoCard>
  );
}
