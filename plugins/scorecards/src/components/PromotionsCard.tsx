import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Button,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  Typography,
} from '@material-ui/core';
import {
  scorecardsDefinitionUpdatePermission,
  type CheckPromotion,
  type ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { entityRefLabel, formatDate } from '@vitals/react';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardsApiRef } from '../api/scorecardsApiRef';
import { checkTitle, levelLabel } from './format';
import { WithdrawDialog } from './WithdrawDialog';

/** Titles of a promotion's scorecard, check and levels, from the definitions (ids when a definition is gone). */
function titlesOf(
  promotion: CheckPromotion,
  definitions: ScorecardDefinition[],
) {
  const definition = definitions.find(d => d.id === promotion.scorecardId);
  return {
    scorecard: definition?.title ?? promotion.scorecardId,
    check: checkTitle(definition, promotion.checkId),
    level: levelLabel(definition, promotion.levelId),
    configuredLevel: levelLabel(definition, promotion.configuredLevel),
  };
}

function originText(promotion: CheckPromotion): string {
  const who = `by ${entityRefLabel(promotion.createdBy)} on ${formatDate(
    promotion.createdAt,
  )}`;
  if (promotion.origin.kind === 'campaign') {
    return `From the campaign “${
      promotion.origin.title ?? promotion.origin.id
    }”, ${who}`;
  }
  return `Promoted ${who}`;
}

/**
 * The checks made permanent (promoted) across the scorecards, on the org page: each with the level it is required
 * from and where it came from; those allowed to change the definitions may withdraw one, after confirming.
 */
export function PromotionsCard(props: { definitions: ScorecardDefinition[] }) {
  const api = useApi(scorecardsApiRef);
  const promotions = useAsyncRetry(() => api.listPromotions(), [api]);
  const permission = usePermission({
    permission: scorecardsDefinitionUpdatePermission,
  });
  const [withdrawing, setWithdrawing] = useState<CheckPromotion>();

  const subheader =
    'Checks an ended campaign (or an admin) made permanent requirements of their scorecards';
  if (promotions.loading && !promotions.value) {
    return (
      <InfoCard title="Checks made permanent" subheader={subheader}>
        <Progress />
      </InfoCard>
    );
  }
  if (promotions.error) {
    return (
      <InfoCard title="Checks made permanent" subheader={subheader}>
        <ErrorPanel
          title="Could not load the checks made permanent"
          error={promotions.error}
        />
        <Button onClick={promotions.retry}>Try again</Button>
      </InfoCard>
    );
  }
  const list = promotions.value ?? [];
  const selected = withdrawing && titlesOf(withdrawing, props.definitions);
  return (
    <InfoCard title="Checks made permanent" subheader={subheader}>
      {list.length === 0 ? (
        <Typography>
          No check has been made permanent. When a goals campaign has ended, an
          admin can make its checks permanent from the campaign’s page.
        </Typography>
      ) : (
        <List dense aria-label="Checks made permanent">
          {list.map(promotion => {
            const t = titlesOf(promotion, props.definitions);
            return (
              <ListItem key={promotion.id} disableGutters>
                <ListItemText
                  primary={`${t.scorecard} / ${t.check}: required from ${
                    t.level
                  }${
                    promotion.applied
                      ? ''
                      : ' (not applied: the configuration no longer has this scorecard, check or level)'
                  }`}
                  secondary={`${originText(promotion)}. Configured at ${
                    t.configuredLevel
                  }.`}
                />
                {permission.allowed && (
                  <ListItemSecondaryAction>
                    <Button
                      size="small"
                      onClick={() => setWithdrawing(promotion)}
                      aria-label={`Withdraw ${t.scorecard} / ${t.check}`}
                    >
                      Withdraw
                    </Button>
                  </ListItemSecondaryAction>
                )}
              </ListItem>
            );
          })}
        </List>
      )}
      {withdrawing && selected && (
        <WithdrawDialog
          id="withdraw-promotion-title"
          title={<>Withdraw the permanent check “{selected.check}”?</>}
          confirmLabel="Withdraw"
          failure="Could not withdraw it"
          onClose={() => {
            setWithdrawing(undefined);
            promotions.retry();
          }}
          onConfirm={async () => {
            await api.withdrawPromotion(withdrawing.id, withdrawing.version);
            setWithdrawing(undefined);
            promotions.retry();
          }}
        >
          “{selected.check}” goes back to the {selected.configuredLevel} level
          the configuration gives it in {selected.scorecard}, and the scorecards
          are evaluated again now, so that levels follow within minutes. The
          promotion stays on record as withdrawn.
        </WithdrawDialog>
      )}
    </InfoCard>
  );
}
