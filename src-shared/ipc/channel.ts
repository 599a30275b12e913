import { z } from 'zod';

/**
 * A channel is declared once: its name is its key in the contract, its schemas are the
 * single source of the TypeScript types on both sides.
 */
export interface RequestChannel<Req extends z.ZodType, Res extends z.ZodType> {
  readonly kind: 'request';
  readonly request: Req;
  readonly reply: Res;
  readonly doc: string;
}

/** A long task: the request starts a job; progress and the result arrive as events. */
export interface JobChannel<Req extends z.ZodType, Res extends z.ZodType> {
  readonly kind: 'job';
  readonly request: Req;
  /** The job's final result (the reply to the start request is always a JobStarted). */
  readonly result: Res;
  readonly doc: string;
}

export function request<Req extends z.ZodType, Res extends z.ZodType>(def: {
  request: Req;
  reply: Res;
  doc: string;
}): RequestChannel<Req, Res> {
  return { kind: 'request', ...def };
}

export function job<Req extends z.ZodType, Res extends z.ZodType>(def: {
  request: Req;
  result: Res;
  doc: string;
}): JobChannel<Req, Res> {
  return { kind: 'job', ...def };
}

// Kept deliberately loose so that heterogenous channels fit one record.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChannel = RequestChannel<any, any> | JobChannel<any, any>;
