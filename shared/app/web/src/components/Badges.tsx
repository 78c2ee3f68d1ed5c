import type { TaskPriority, TaskStatus } from '../api/client';
import { PRIORITY_LABELS, STATUS_LABELS } from './format';

export function StatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  return (
    <span className={`badge badge-priority-${priority}`}>
      <span className="visually-hidden">Priority: </span>
      {PRIORITY_LABELS[priority]}
    </span>
  );
}
