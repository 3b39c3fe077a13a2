import {
  Content,
  ErrorPanel,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';
import { statusOfApiError } from '@vitals/common';
import { Navigate, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { useEntityPaths } from './useEntityPaths';

/**
 * `/postmortems/<id>`: where links from outside lead (the tech-debt register's incident links, notifications). Opens
 * the postmortem on its service's Postmortems tab.
 */
export function PostmortemRedirect() {
  const { postmortemId = '' } = useParams();
  const api = useApi(postmortemsApiRef);
  const paths = useEntityPaths();
  const detail = useAsync(
    () => api.getPostmortem(postmortemId),
    [api, postmortemId],
  );
  if (detail.value) {
    const { entityRef, id } = detail.value.postmortem;
    return (
      <Navigate replace to={paths.postmortems(entityRef, { postmortem: id })} />
    );
  }
  return (
    <Page themeId="tool">
      <Header title="Postmortem" />
      <Content>
        {detail.loading && <Progress />}
        {detail.error && statusOfApiError(detail.error) === 404 && (
          <Alert severity="info">
            There is no postmortem {postmortemId}, or it is not shared with you
            yet: drafts and postmortems in review are read by the owning team
            and their authors only; everyone can read them once published.
          </Alert>
        )}
        {detail.error && statusOfApiError(detail.error) !== 404 && (
          <ErrorPanel
            title="Could not load the postmortem"
            error={detail.error}
          />
        )}
      </Content>
    </Page>
  );
}
