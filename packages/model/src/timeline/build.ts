// buildTimeline: a finished (or running) board plus the server's callout and role records → Timeline.
// Pure: the same input gives the same output on every replica, with no clock read inside.
import type { BoardSnapshot } from '../board-doc';
import type { Callout } from '../records/callout';
import type { RoleAssignment } from '../records/role';
import { indexBoard } from './board-index';
import { calloutViews } from './callouts';
import { collectEvents } from './events';
import {
  findContributors,
  findFalseLeads,
  findFollowUps,
  findMitigators,
  findOpenQuestions,
  findSpan,
  findTriggeringEvent,
} from './findings';
import { participantActivity } from './participants';
import { PeopleDirectory } from './people';
import { checkServerRecords } from './server-records';
import { assignThreads, buildThreads } from './threads';
import type { Timeline, TimelineBoard, TimelineSettings } from './types';
import { checkCoherence } from './warnings';

export interface TimelineInput {
  board: BoardSnapshot;
  /** As the server or a socket.io payload delivered them: each is validated, an invalid one left out and warned about. */
  callouts: readonly Callout[];
  /** Validated like `callouts`. */
  roles: readonly RoleAssignment[];
}

export interface TimelineOptions {
  /**
   * How far clocks may disagree before it is worth a warning (participants' measured offsets, evidence
   * observed after it was posted, links older than their cards). Default 2 minutes.
   */
  clockSkewThresholdMs?: number;
  /** "Now" for the future-timestamp check; without it that check is skipped (the function reads no clock). */
  now?: number;
}

export const DEFAULT_CLOCK_SKEW_THRESHOLD_MS = 2 * 60_000;

export function buildTimeline(input: TimelineInput, options: TimelineOptions = {}): Timeline {
  const settings: TimelineSettings = {
    clockSkewThresholdMs:
      options.clockSkewThresholdMs !== undefined && Number.isFinite(options.clockSkewThresholdMs)
        ? Math.max(0, options.clockSkewThresholdMs)
        : DEFAULT_CLOCK_SKEW_THRESHOLD_MS,
  };
  if (options.now !== undefined && Number.isFinite(options.now)) settings.now = options.now;

  // The board snapshot was validated by BoardDoc.read; the server's records have not been.
  const checked = checkServerRecords(input.callouts, input.roles);
  const index = indexBoard(input.board, checked.callouts, checked.roles);
  const people = new PeopleDirectory(index);
  const threads = assignThreads(index);
  const events = collectEvents({ index, people, threads });
  const callouts = calloutViews(index, people);

  return {
    board: boardView(input.board, people),
    span: findSpan(index, events),
    triggeringEvent: findTriggeringEvent(index),
    events,
    threads: buildThreads(index, threads, events),
    falseLeads: findFalseLeads(index, people, threads),
    callouts,
    contributors: findContributors(index, people),
    mitigators: findMitigators(index, people),
    followUps: findFollowUps(index, people),
    openQuestions: findOpenQuestions(index, people),
    participants: participantActivity(index, people),
    // Records left out come first: everything after them was judged without those records.
    warnings: [...checked.warnings, ...checkCoherence(index, people, events, callouts, settings)],
    settings,
  };
}

function boardView(board: BoardSnapshot, people: PeopleDirectory): TimelineBoard {
  const meta = board.meta;
  const view: TimelineBoard = {
    id: meta.id,
    title: meta.title,
    status: meta.status,
    createdAt: meta.createdAt,
    createdBy: people.person(meta.createdBy),
  };
  if (meta.outcome !== undefined) view.outcome = meta.outcome;
  if (meta.severity !== undefined) view.severity = meta.severity;
  if (meta.summary !== undefined && meta.summary !== '') view.summary = meta.summary;
  if (meta.closedAt !== undefined) view.closedAt = meta.closedAt;
  return view;
}
