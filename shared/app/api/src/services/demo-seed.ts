// A handful of tasks so a fresh board has something to show. Goes through the service, so the rules apply.
import type { Logger } from 'pino';
import type { NewTask, TaskService } from './tasks';

const demoTasks: NewTask[] = [
  {
    title: 'Read the Day 1 lab',
    description: 'Containers: multi-stage builds, non-root users, health checks.',
    status: 'done',
    priority: 'high',
    dueDate: null,
  },
  {
    title: 'Build the API image',
    description: 'node:24 slim runtime, npm ci --omit=dev, USER node.',
    status: 'in_progress',
    priority: 'high',
    dueDate: null,
  },
  {
    title: 'Serve the SPA with nginx',
    description: 'History fallback to index.html; long cache for hashed assets.',
    status: 'todo',
    priority: 'medium',
    dueDate: null,
  },
  {
    title: 'Write the Kubernetes manifests',
    description: 'Deployment, Service, probes on /healthz and /readyz.',
    status: 'todo',
    priority: 'medium',
    dueDate: null,
  },
  {
    title: 'Scrape /metrics with Prometheus',
    description: 'http_request_duration_seconds by route template.',
    status: 'todo',
    priority: 'low',
    dueDate: null,
  },
];

export async function seedDemoTasks(service: TaskService, log?: Logger): Promise<number> {
  // Created in order, so the newest-first list shows the last one on top; oldest first reads like a plan.
  for (const task of [...demoTasks].reverse()) await service.create(task, log);
  return demoTasks.length;
}
