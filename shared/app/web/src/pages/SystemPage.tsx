import { useCallback, useEffect, useState } from 'react';
import { api, isAbort, toApiError, type ApiError, type ApiInfo } from '../api/client';
import { ErrorState, Loading } from '../components/Feedback';
import { formatUptime } from '../components/format';
import { PageHeading } from '../components/PageHeading';

type InfoState =
  | { phase: 'loading' }
  | { phase: 'error'; error: ApiError }
  | { phase: 'ready'; info: ApiInfo; checkedAt: Date };

export default function SystemPage() {
  const [state, setState] = useState<InfoState>({ phase: 'loading' });
  const [refreshing, setRefreshing] = useState(false);

  const load = useCallback(async (signal?: AbortSignal) => {
    setRefreshing(true);
    try {
      const info = await api.getInfo(signal);
      setState({ phase: 'ready', info, checkedAt: new Date() });
    } catch (error) {
      if (!isAbort(error)) setState({ phase: 'error', error: toApiError(error) });
    } finally {
      if (!signal?.aborted) setRefreshing(false);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <section>
      <div className="page-header">
        <PageHeading title="System" />
        <button type="button" className="button" onClick={() => void load()} aria-disabled={refreshing}>
          {refreshing && state.phase !== 'loading' ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p className="lead">
        Which instance of the API answered this request, and how it is doing. Behind a load balancer, refresh
        to see requests spread across pods.
      </p>

      {state.phase === 'loading' && <Loading label="Asking the API…" />}
      {state.phase === 'error' && (
        <ErrorState error={state.error} title="Could not reach the API" onRetry={() => void load()} />
      )}
      {state.phase === 'ready' && <InfoCards info={state.info} checkedAt={state.checkedAt} />}
    </section>
  );
}

function InfoCards({ info, checkedAt }: { info: ApiInfo; checkedAt: Date }) {
  const dbUp = info.database.status === 'up';
  return (
    <>
      <div className="info-hero panel" aria-live="polite">
        <p className="eyebrow">Answered by</p>
        <p className="hostname">{info.hostname ?? 'hidden from public clients'}</p>
        <p className="muted">Checked at {checkedAt.toLocaleTimeString()}</p>
      </div>
      <dl className="info-grid">
        <div className="info-card">
          <dt>Readiness</dt>
          <dd>
            <span className={`dot ${info.ready ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
            {info.ready ? 'Ready' : 'Not ready'}
          </dd>
        </div>
        <div className="info-card">
          <dt>Database</dt>
          <dd>
            <span className={`dot ${dbUp ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
            {info.database.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'} · {dbUp ? 'up' : 'down'}
          </dd>
        </div>
        <div className="info-card">
          <dt>Version</dt>
          <dd>{info.version}</dd>
        </div>
        <div className="info-card">
          <dt>Commit</dt>
          <dd>
            <code title={info.commit}>{info.commit.slice(0, 12)}</code>
          </dd>
        </div>
        <div className="info-card">
          <dt>Uptime</dt>
          <dd>{formatUptime(info.uptimeSeconds)}</dd>
        </div>
        <div className="info-card">
          <dt>Node.js</dt>
          <dd>{info.node ?? 'hidden'}</dd>
        </div>
      </dl>
    </>
  );
}
