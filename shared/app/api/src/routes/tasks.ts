// /api/tasks: parse input, call the service, map the result to a status code. Errors go to next().
import express, { Router } from 'express';
import { labelRoute } from '../metrics';
import type { TaskService } from '../services/tasks';
import {
  createTaskBody,
  idempotencyHeaders,
  listTasksQuery,
  taskParams,
  updateTaskBody,
} from './task-schemas';
import { parseOrThrow } from './validate';

export function tasksRouter(service: TaskService, bodyLimit: string): Router {
  const router = Router();
  // Only routes that take a body parse one, so the size limit and JSON errors apply exactly where they matter.
  const json = express.json({ limit: bodyLimit, strict: true });

  router.get('/', labelRoute, async (req, res) => {
    const query = parseOrThrow(listTasksQuery, req.query, 'query string');
    res.json(await service.list({ ...query, limit: query.limit ?? 20 }));
  });

  router.post('/', labelRoute, json, async (req, res) => {
    const body = parseOrThrow(createTaskBody, req.body, 'request body');
    const { 'Idempotency-Key': key } = parseOrThrow(
      idempotencyHeaders,
      { 'Idempotency-Key': req.get('idempotency-key') },
      'request header',
    );
    if (key === undefined) {
      const task = await service.create(body, req.log);
      res.status(201).location(`${req.baseUrl}/${task.id}`).json(task);
      return;
    }
    // A replay answers exactly what the first request was answered (201, same task), marked as a replay.
    const { task, replayed } = await service.createOnce(body, key, req.log);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(201).location(`${req.baseUrl}/${task.id}`).json(task);
  });

  router.get('/:id', labelRoute, async (req, res) => {
    const { id } = parseOrThrow(taskParams, req.params, 'task id');
    res.json(await service.get(id));
  });

  router.patch('/:id', labelRoute, json, async (req, res) => {
    const { id } = parseOrThrow(taskParams, req.params, 'task id');
    const { version, ...changes } = parseOrThrow(updateTaskBody, req.body, 'request body');
    res.json(await service.update(id, version, changes, req.log));
  });

  router.delete('/:id', labelRoute, async (req, res) => {
    const { id } = parseOrThrow(taskParams, req.params, 'task id');
    await service.remove(id, req.log);
    res.status(204).end();
  });

  return router;
}
