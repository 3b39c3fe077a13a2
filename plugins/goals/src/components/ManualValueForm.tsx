import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, TextField } from '@material-ui/core';
import { describeApiError, statusOfApiError } from '@vitals/common';
import {
  GoalDetail,
  KeyResult,
  manualValueRequestSchema,
} from '@vitals/plugin-goals-common';
import { FormEvent, useState } from 'react';
import { goalsApiRef } from '../api/goalsApiRef';
import { FormIssue, issuesByPath } from './zodIssues';

/** Type in the value of a manual key result. */
export function ManualValueForm(props: {
  goalId: string;
  version: number;
  keyResult: KeyResult;
  onSaved: (goal: GoalDetail) => void;
}) {
  const api = useApi(goalsApiRef);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = manualValueRequestSchema.safeParse({
      version: props.version,
      value: value.trim() === '' ? NaN : Number(value),
    });
    if (!parsed.success) {
      setError(
        issuesByPath(parsed.error.issues as unknown as FormIssue[]).value ??
          'Enter a number',
      );
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      props.onSaved(
        await api.setManualValue(props.goalId, props.keyResult.id, parsed.data),
      );
      setValue('');
    } catch (e) {
      setError(
        statusOfApiError(e) === 409
          ? 'The goal changed since this page was loaded: reload it and type the value again.'
          : describeApiError(e),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Box display="flex" alignItems="flex-start" mt={1} style={{ gap: 8 }}>
        <TextField
          size="small"
          variant="outlined"
          label={`New value (${props.keyResult.unit})`}
          value={value}
          onChange={e => setValue(e.target.value)}
          error={Boolean(error)}
          helperText={error}
          inputProps={{
            inputMode: 'decimal',
            'aria-label': `New value of ${props.keyResult.title}`,
          }}
        />
        <Button type="submit" variant="outlined" disabled={saving}>
          {saving ? 'Saving…' : 'Set value'}
        </Button>
      </Box>
    </form>
  );
}
