import {
  abortError,
  type BodySource,
  type HttpRequest,
  type HttpResponse,
  ResponseBody,
  withResponseChanges,
} from '@x/core';
import { abortable } from './abortable-source.js';
import type { StoredResponseHead } from './cache-store.js';
import { withReaderTrailers } from './reader-trailers.js';
import { shareBody } from './shared-body.js';

/**
 * Request coalescing (RFC 9111 §4: a cache may collapse requests for the
 * same resource): concurrent misses for one cache key send one origin
 * request. The first request of a key starts a flight; later ones wait for
 * its response head. A storable response is then read once and shared:
 * each waiting request whose Vary'd fields and directives it satisfies gets
 * its own reader of the body being written to the store. Anything else (not
 * storable, a Vary mismatch, an origin failure) sends each follower to the
 * origin by itself: a follower never fails because of another request.
 *
 * The origin request carries the flight's own signal, not the first
 * caller's: a caller that aborts only leaves the flight, and the origin
 * request is aborted once nobody is waiting for it any more.
 */

/** What the one origin request of a flight produced. */
export interface FlightExchange {
  readonly response: HttpResponse;
  /** True when the body is being stored, so it may be shared. */
  readonly shareable: boolean;
  /** The stored head, when shareable: what a waiting request checks before it takes the response. */
  readonly head: StoredResponseHead | undefined;
}

export type Participation =
  /** The request that started the flight: the origin's response, shared or not (its failures are thrown). */
  | { readonly role: 'leader'; readonly response: HttpResponse }
  /** A waiting request answered with the shared response. */
  | { readonly role: 'follower'; readonly response: HttpResponse }
  /** Go to the origin alone: the flight is full, or its response cannot answer this request. */
  | { readonly role: 'alone' };

/** What a request brings to a flight: how to send the origin request, and whether a shared response may answer it. */
export interface FlightPlan {
  /** Sends the origin request with the flight's signal (undefined when nothing could abort it). */
  exchange(signal: AbortSignal | undefined): Promise<FlightExchange>;
  /** Whether the shared response may answer this request (its Vary'd fields, its own directives). */
  accepts(exchange: FlightExchange): boolean;
}

export interface Coalescer {
  /**
   * Joins the flight for `key`, or starts one by calling the plan's
   * `exchange` with the flight's signal (undefined when the starting
   * request has no signal: nothing could abort it). Rejects only with the
   * leader's origin failure or with this request's own abort.
   */
  join(key: string, request: HttpRequest, plan: FlightPlan): Promise<Participation>;
  /** Flights in progress (for tests and metrics). */
  readonly inFlight: number;
}

/** One request waiting on a flight (a class: the leader of every coalesced miss makes one). */
class Participant {
  readonly request: HttpRequest;
  readonly leader: boolean;
  readonly plan: FlightPlan;
  readonly answer: Promise<Participation>;
  #resolve!: (participation: Participation) => void;
  #reject!: (error: unknown) => void;
  /** Listening to the request's signal, when it has one. */
  #onAbort: (() => void) | null = null;

  constructor(request: HttpRequest, leader: boolean, plan: FlightPlan) {
    this.request = request;
    this.leader = leader;
    this.plan = plan;
    this.answer = new Promise<Participation>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  listen(onAbort: () => void): void {
    this.#onAbort = onAbort;
    this.request.signal?.addEventListener('abort', onAbort, { once: true });
  }

  settle(participation: Participation): void {
    this.#stopListening();
    this.#resolve(participation);
  }

  fail(error: unknown): void {
    this.#stopListening();
    this.#reject(error);
  }

  #stopListening(): void {
    if (this.#onAbort !== null) this.request.signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = null;
  }
}

interface Flight {
  readonly participants: Set<Participant>;
  /**
   * Aborts the origin request once nobody waits for it. Null when the
   * request that started the flight has no signal: it can never leave, so
   * the origin request is never abandoned (and needs no signal of its own).
   */
  readonly controller: AbortController | null;
  followers: number;
}

export function createCoalescer(options: { maxFollowers: number; bufferBytes: number }): Coalescer {
  const flights = new Map<string, Flight>();

  const forget = (key: string, flight: Flight) => {
    if (flights.get(key) === flight) flights.delete(key);
  };

  const wait = (
    key: string,
    flight: Flight,
    request: HttpRequest,
    leader: boolean,
    plan: FlightPlan,
  ): Participant => {
    const participant = new Participant(request, leader, plan);
    flight.participants.add(participant);
    const signal = request.signal;
    if (signal === undefined) return participant;
    const onAbort = () => {
      flight.participants.delete(participant);
      // The bound is on requests waiting, so a follower that left frees its place.
      if (!leader) flight.followers--;
      participant.fail(abortError(signal, { method: request.method, url: request.url, requestSent: leader }));
      if (flight.participants.size === 0) {
        // Nobody is waiting any more: the origin request is nobody's business.
        forget(key, flight);
        flight.controller?.abort(signal.reason);
      }
    };
    if (signal.aborted) onAbort();
    else participant.listen(onAbort);
    return participant;
  };

  const distribute = (exchange: FlightExchange, participants: Participant[]) => {
    const { response } = exchange;
    const leader = participants.find((participant) => participant.leader);
    const users = exchange.shareable
      ? participants.filter((participant) => participant.leader || participant.plan.accepts(exchange))
      : leader === undefined
        ? []
        : [leader];
    for (const participant of participants) {
      if (!users.includes(participant)) participant.settle({ role: 'alone' });
    }
    if (users.length === 0) {
      void response.body.cancel().catch(() => undefined);
      return;
    }
    // One reader (the usual miss): its own body, no sharing machinery. Several: one shared body.
    const [only] = users;
    if (users.length === 1 && only !== undefined) {
      answerAlone(only, response);
      return;
    }
    const readers = shareBody(response.body, users.length, options.bufferBytes);
    users.forEach((participant, index) => {
      const reader = readers[index] as BodySource;
      const answer = ownResponse(response, reader, participant.request, false);
      participant.settle(
        participant.leader ? { role: 'leader', response: answer } : { role: 'follower', response: answer },
      );
    });
  };

  return {
    join(key, request, plan) {
      const existing = flights.get(key);
      if (existing !== undefined) {
        if (existing.followers >= options.maxFollowers) return Promise.resolve({ role: 'alone' });
        existing.followers++;
        return wait(key, existing, request, false, plan).answer;
      }
      const controller = request.signal === undefined ? null : new AbortController();
      const flight: Flight = { participants: new Set(), controller, followers: 0 };
      flights.set(key, flight);
      const leader = wait(key, flight, request, true, plan);
      // A synchronous throw becomes a rejection too: a flight must always settle, or its followers would wait for ever.
      new Promise<FlightExchange>((resolve) => resolve(plan.exchange(controller?.signal))).then(
        (result) => {
          // The head is known: later requests find the store (or start a new flight), not this one.
          forget(key, flight);
          // Nobody joined (the usual miss): the response is the leader's, whatever it is.
          if (flight.participants.size === 1 && flight.participants.has(leader)) {
            flight.participants.clear();
            answerAlone(leader, result.response);
            return;
          }
          const participants = [...flight.participants];
          flight.participants.clear();
          distribute(result, participants);
        },
        (error: unknown) => {
          forget(key, flight);
          const participants = [...flight.participants];
          flight.participants.clear();
          for (const participant of participants) {
            if (participant.leader) participant.fail(error);
            else participant.settle({ role: 'alone' });
          }
        },
      );
      return leader.answer;
    },
    get inFlight() {
      return flights.size;
    },
  };
}

/** The one request a response goes to: its own body, guarded by its own signal when it has one. */
function answerAlone(participant: Participant, response: HttpResponse): void {
  const { request } = participant;
  const answer =
    request.signal === undefined ? response : ownResponse(response, ownSource(response.body), request, true);
  participant.settle(
    participant.leader ? { role: 'leader', response: answer } : { role: 'follower', response: answer },
  );
}

/**
 * The body as a source, claimed now: cancelling it before the first read
 * still cancels the network body (a lazily opened iterator would not).
 */
function ownSource(body: ResponseBody): BodySource {
  const iterator = body[Symbol.asyncIterator]();
  return {
    async read() {
      const step = await iterator.next();
      return step.done ? null : step.value;
    },
    cancel() {
      void iterator.return?.();
    },
  };
}

/**
 * One reader's response: its body fails with ABORTED when its own signal
 * fires. A lone reader's trailers are the network's (cancelling the body
 * rejects them); a reader of a shared body gets trailers of its own.
 */
function ownResponse(
  response: HttpResponse,
  reader: BodySource,
  request: HttpRequest,
  lone: boolean,
): HttpResponse {
  const guarded =
    request.signal === undefined
      ? reader
      : abortable(reader, request.signal, { method: request.method, url: request.url, requestSent: true });
  const { source, trailers } = lone
    ? { source: guarded, trailers: response.trailers }
    : withReaderTrailers(guarded, response.trailers);
  const body = new ResponseBody(source, {
    length: response.body.length,
    contentType: response.headers.get('content-type'),
    bufferLimit: response.body.bufferLimit,
    method: request.method,
    url: response.url,
  });
  return withResponseChanges(response, { body, trailers });
}
