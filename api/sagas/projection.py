"""The saga status read model in the API process: one follower per saga, shared by its clients.

A follower keeps the saga's state in memory, current with the saga's history; every client of the
saga (reads, long polls, event streams) is answered from it, never waiting for the server
(docs/sagas.md, "Reading a saga's status"). It folds each memo upsert of the history into the
memo it read last (`status.state_of` builds the state); it describes the saga when it starts
following, when the run ends, and at most once a second while a step has been live for a second
and clients read it. An older reading never replaces a newer one (api/sagas/readings.py)."""

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from api.sagas.readings import Counters, Follower, ProjectionLimits, Reading, still_pending
from api.sagas.start import RETRYABLE_ENDINGS
from api.sagas.status import LIVE, state_of
from api.sagas.temporal import temporal_errors
from api.sagas.watch import CHANGES, SETTLED, described
from api.sagas.watch import changes as followed_per_client
from api.sagas.watch import settled as settled_per_client
from workflows.publishing import SAGA_KEY
from workflows.state import CLOSED_STATUSES, SagaState

log = logging.getLogger("api.projection")
MEMO_UPSERT = EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED
STATUS_UPSERT = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES


class SagaProjection:
    def __init__(self, client: Client, limits: ProjectionLimits | None = None) -> None:
        self.client = client
        self.limits = limits or ProjectionLimits()
        self.counters = Counters()
        self.followers: dict[str, Follower] = {}
        self.finals: OrderedDict[str, Reading] = OrderedDict()
        self._sweeper: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "SagaProjection":
        self._sweeper = asyncio.create_task(self._sweep(), name="saga-projection-sweeper")
        return self

    async def __aexit__(self, *_: object) -> None:
        tasks = [task for f in self.followers.values() for task in f.tasks]
        tasks += [self._sweeper] if self._sweeper else []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def read(self, saga_id: str) -> SagaState:
        """From memory when followed or closed; else one describe (and follow it if running)."""
        if (final := self.finals.get(saga_id)) is not None:
            self.finals.move_to_end(saga_id)
            self.counters.memory_reads += 1
            return final.state
        follower = self.followers.get(saga_id)
        if follower is not None:
            follower.last_read = follower.last_polled = time.monotonic()
            if follower.reading is not None:
                self.counters.memory_reads += 1
                return follower.reading.state
        self.counters.describes += 1
        return self._offer(saga_id, await self._current(saga_id), follow=True).state

    async def settled(self, saga_id: str, seconds: float) -> SagaState:
        """Long poll: the state as soon as the saga is closed or needs attention, else after
        `seconds` the state then (as `watch.settled`)."""
        deadline = time.monotonic() + seconds
        state = await self.read(saga_id)
        follower = self.followers.get(saga_id)
        while state.status not in SETTLED and (remaining := deadline - time.monotonic()) > 0:
            if follower is None or self.followers.get(saga_id) is not follower:
                return await self._settled_without(saga_id, follower, remaining)
            await self._next_change(follower, follower.version, remaining)
            state = await self.read(saga_id)
        return state

    async def changes(self, saga_id: str) -> AsyncIterator[SagaState]:
        """The saga's state now, then again after each change, until it is closed (as
        `watch.changes`)."""
        state = await self.read(saga_id)
        follower = self.followers.get(saga_id)
        version = follower.version if follower else 0  # before yielding: no change is missed
        yield state
        while state.status not in CLOSED_STATUSES:
            if follower is None or self.followers.get(saga_id) is not follower:
                if follower is not None and follower.reading and follower.reading.closed:
                    yield follower.reading.state  # it closed: its final state, then the end
                    return
                async for later in followed_per_client(self.client, saga_id):
                    yield later  # past the cap or after a failed stream: the per-client path
                return
            await self._next_change(follower, version, None)
            version = follower.version
            if follower.reading is not None and follower.reading.state is not state:
                state = follower.reading.state
                yield state

    async def follow(self, saga_id: str) -> None:
        """Follow a saga this API has just started (a new run under a closed saga's id too),
        from one describe now: its clients' first reads answer from memory too. Temporal not
        answering leaves it to the first read."""
        self.finals.pop(saga_id, None)
        try:
            reading = await self._current(saga_id)
        except Exception as error:
            log.warning("not following saga %s: %r", saga_id, error)
            return
        self._offer(saga_id, reading, follow=True)

    async def _current(self, saga_id: str) -> Reading:
        state, description, memo = await described(self.client, saga_id)
        pending = tuple(description.raw_description.pending_activities)
        seen = description.history_length
        return Reading(state, seen, description.run_id, description, memo, pending)

    async def _folded(self, follower: Follower, event: HistoryEvent) -> Reading | None:
        """The state after a memo upsert, from the last state's memo and the upserted keys
        (decoded with the client's data converter: its payload codec too); None when the last
        state has no memo to fold onto."""
        base = follower.reading
        if base is None or base.description is None or base.memo is None:
            return None
        fields = event.workflow_properties_modified_event_attributes.upserted_memo.fields
        with temporal_errors():
            values = await self.client.data_converter.decode(list(fields.values()))
        memo = dict(base.memo)
        for key, value in zip(fields.keys(), values, strict=True):
            if value is None:
                memo.pop(key, None)
            else:
                memo[key] = value
        pending = still_pending(base, memo, set(fields.keys()))
        state = state_of(follower.saga_id, base.description, memo, pending)
        self.counters.folds += 1
        return Reading(state, event.event_id, base.run_id, base.description, memo, pending)

    def _offer(self, saga_id: str, reading: Reading, follow: bool = False) -> Reading:
        """Keep `reading` unless a newer one is kept already; the one now kept."""
        follower = self.followers.get(saga_id)
        if follower is not None and follower.reading and follower.reading.closed:
            follower = None  # an earlier run's follower, ending: this one is another run's
        if follower is None:
            if reading.closed:
                self._keep_final(saga_id, reading)
            elif follow:
                self._start_follower(saga_id, reading)
            return reading
        kept = follower.reading
        if kept is None or reading.newer_than(kept):
            follower.reading = reading
            if kept is None or reading.state != kept.state:
                self._changed(follower)
        return follower.reading or reading

    def _changed(self, follower: Follower) -> None:
        follower.version += 1
        follower.changed.set()
        follower.changed = asyncio.Event()
        state = follower.reading.state if follower.reading else None
        if state is not None and any(step.status in LIVE for step in state.steps):
            if not follower.live.is_set():
                follower.live.set()
        else:
            follower.live.clear()

    def _keep_final(self, saga_id: str, reading: Reading) -> None:
        """A saga that ended for good never changes; one that may be tried again under its id
        (compensated, cancelled) is described when read."""
        if reading.state.status in RETRYABLE_ENDINGS or self.limits.closed_kept <= 0:
            return
        self.finals[saga_id] = reading
        self.finals.move_to_end(saga_id)
        while len(self.finals) > self.limits.closed_kept:
            self.finals.popitem(last=False)

    def _start_follower(self, saga_id: str, reading: Reading | None) -> None:
        if len(self.followers) >= self.limits.followers:
            self.counters.refused += 1
            return
        follower = Follower(saga_id, reading)
        if reading is not None:
            self._changed(follower)
        self.followers[saga_id] = follower
        self.counters.started += 1
        follower.tasks = [
            asyncio.create_task(self._follow(follower), name=f"follow-{saga_id}"),
            asyncio.create_task(self._refresh_live(follower), name=f"refresh-{saga_id}"),
        ]

    async def _follow(self, follower: Follower) -> None:
        saga_id = follower.saga_id
        try:
            reading = follower.reading or self._offer(saga_id, await self._current(saga_id))
            while not reading.closed:
                reading = await self._follow_run(follower, reading.run_id)
            self.counters.closed += 1
            self._keep_final(saga_id, reading)
        except Exception as error:  # an outage, or any other failure: reads describe again
            self.counters.dropped += 1
            log.warning("no longer following saga %s: %r", saga_id, error)
        finally:
            self._end(follower)

    async def _follow_run(self, follower: Follower, run_id: str) -> Reading:
        """Follow one run's history until it closes or a later run replaces it."""
        handle = self.client.get_workflow_handle(follower.saga_id, run_id=run_id)
        async for event in handle.fetch_history_events(wait_new_event=True):
            kept = follower.reading
            assert kept is not None
            if kept.run_id != run_id:
                return kept  # a later run under the id replaced this one: follow that
            if event.event_id <= kept.seen or event.event_type not in CHANGES:
                continue
            if event.event_type == STATUS_UPSERT and kept.memo and SAGA_KEY in kept.memo:
                continue  # the published status is the memo's; the attribute is for listing
            folded = (
                await self._folded(follower, event) if event.event_type == MEMO_UPSERT else None
            )
            if folded is None:
                self.counters.change_describes += 1
            reading = self._offer(follower.saga_id, folded or await self._current(follower.saga_id))
            if reading.closed or reading.run_id != run_id:
                return reading
        # The history of a run ends only when the run closes.
        self.counters.change_describes += 1
        reading = self._offer(follower.saga_id, await self._current(follower.saga_id))
        if not reading.closed and reading.run_id == run_id:
            raise RuntimeError(f"the history of saga {follower.saga_id} ended while it runs")
        return reading

    async def _refresh_live(self, follower: Follower) -> None:
        """While a step is live (its activity may be retried, which writes no history) and
        clients read the saga (waiting clients see statuses only), describe it once every
        `live_refresh_seconds`, from that long after the step became live."""
        refreshed = time.monotonic()
        while True:
            await follower.live.wait()
            await asyncio.sleep(self.limits.live_refresh_seconds)
            if not follower.live.is_set() or follower.last_polled <= refreshed:
                continue
            refreshed = time.monotonic()
            self.counters.live_refreshes += 1
            try:
                self._offer(follower.saga_id, await self._current(follower.saga_id))
            except Exception as error:  # the history follower decides whether to give up
                log.debug("refreshing saga %s failed: %r", follower.saga_id, error)

    def _end(self, follower: Follower) -> None:
        if self.followers.get(follower.saga_id) is follower:
            del self.followers[follower.saga_id]
        for task in follower.tasks:
            if task is not asyncio.current_task():
                task.cancel()
        self._changed(follower)  # waiting clients read again, from wherever the state is now

    async def _sweep(self) -> None:
        """End the followers no client read for `idle_seconds` (waiting clients count as
        reading)."""
        idle = self.limits.idle_seconds
        while True:
            await asyncio.sleep(max(0.05, min(idle / 4, 5.0)))
            now = time.monotonic()
            for follower in list(self.followers.values()):
                if follower.waiters == 0 and now - follower.last_read > idle:
                    self.counters.evicted += 1
                    self._end(follower)

    async def _next_change(self, follower: Follower, version: int, timeout: float | None) -> None:
        """Return once the state changed after `version` (or the follower ended), or after
        `timeout` seconds."""
        if follower.version != version:
            return
        follower.waiters += 1
        try:
            async with asyncio.timeout(timeout):
                await follower.changed.wait()
        except TimeoutError:
            pass
        finally:
            follower.waiters -= 1
            follower.last_read = time.monotonic()

    async def _settled_without(
        self, saga_id: str, ended: Follower | None, seconds: float
    ) -> SagaState:
        """No follower (past the cap, or its stream failed): the per-client long poll."""
        if ended is not None and ended.reading is not None and ended.reading.closed:
            return ended.reading.state
        return await settled_per_client(self.client, saga_id, seconds)
