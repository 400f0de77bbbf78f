"""The exact day planner: the least-driving order of a day's visits that keeps every client's
window and brings the therapist home by the end of the working day, found by a dynamic
programme over subsets of visits with time labels (for each set of visits done and the last
one, the routes that are not beaten on both driving and finishing time). Milliseconds for the
12 visits a mobile therapist can see in a day; `EXACT_UP_TO` caps it.

When no order exists, `what_would_make_it_possible` names the visit and the change that would:
widen a client's window by N minutes, start or finish N minutes earlier or later, or move a
visit to another day.

Times are minutes from midnight; point 0 is the therapist's start point and 1..n the visits.
Plain functions, no database: the planner, its tests and the benchmark call them alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

EXACT_UP_TO = 12
LONGEST_FIX = 240  # minutes: a change bigger than half a day is not a fix


@dataclass(frozen=True)
class DayProblem:
    minutes: list[list[int]]  # drive between points, 0 the start point
    windows: list[tuple[int, int]]  # earliest and latest arrival (start of set-up) per visit
    service: list[int]  # set-up + treatment + packing, per visit
    shift: tuple[int, int]  # leave no earlier than; home (or done, without one) no later than
    returns_home: bool = True

    @property
    def size(self) -> int:
        return len(self.windows)


Label = tuple[int, int, tuple[int, int, int] | None]  # driving, finished at, (mask, last, i)


def _insert(labels: list[Label], new: Label) -> None:
    """Keep `labels` the routes that nothing beats on both driving and finishing time."""
    cost, finish = new[0], new[1]
    for old in labels:
        if old[0] <= cost and old[1] <= finish:
            return
    labels[:] = [old for old in labels if not (cost <= old[0] and finish <= old[1])]
    labels.append(new)


def _layers(problem: DayProblem, bound: int | None) -> list[dict[tuple[int, int], list[Label]]]:
    """Every layer of the programme: layer k holds the routes through k + 1 visits."""
    n, m = problem.size, problem.minutes
    windows, service = problem.windows, problem.service
    latest = [high for _low, high in windows]
    # The quickest way between two points, through any others: arriving sooner is impossible
    # (drive times need not obey the triangle inequality).
    quickest = [list(row) for row in m]
    for via in range(n + 1):
        for a in range(n + 1):
            for b in range(n + 1):
                if quickest[a][via] + quickest[via][b] < quickest[a][b]:
                    quickest[a][b] = quickest[a][via] + quickest[via][b]
    # The least each visit not yet made must still add to the driving (its cheapest way in),
    # and the way home: with a bound, a route that cannot beat it is dropped early.
    cheapest_in = [min(m[a][b] for a in range(n + 1) if a != b) for b in range(n + 1)]
    first: dict[tuple[int, int], list[Label]] = {}
    for job in range(n):
        arrive = max(problem.shift[0] + m[0][job + 1], windows[job][0])
        if arrive <= windows[job][1]:
            first[1 << job, job] = [(m[0][job + 1], arrive + service[job], None)]
    layers = [first]
    for _size in range(1, n):
        grown: dict[tuple[int, int], list[Label]] = {}
        for (mask, last), labels in layers[-1].items():
            row, soonest = m[last + 1], quickest[last + 1]
            left = [job for job in range(n) if not mask >> job & 1]
            still = sum(cheapest_in[job + 1] for job in left) + cheapest_in[0]
            for index, (cost, finish, _parent) in enumerate(labels):
                # A visit whose window closes before the therapist could get there: dead end.
                if any(finish + soonest[job + 1] > latest[job] for job in left):
                    continue
                if bound is not None and cost + still >= bound:
                    continue
                for job in left:
                    drive = row[job + 1]
                    if bound is not None and cost + drive >= bound:
                        continue
                    arrive = max(finish + drive, windows[job][0])
                    if arrive > latest[job]:
                        continue
                    _insert(
                        grown.setdefault((mask | 1 << job, job), []),
                        (cost + drive, arrive + service[job], (mask, last, index)),
                    )
        layers.append(grown)
        if not grown:
            break
    return layers


def _finish(problem: DayProblem, last: int, label: Label) -> tuple[int, int] | None:
    """Total driving and the time the day ends, or None when it ends too late."""
    back = problem.minutes[last + 1][0] if problem.returns_home else 0
    ends = label[1] + back
    if ends > problem.shift[1]:
        return None
    return label[0] + back, ends


def exact_order(problem: DayProblem, *, bound: int | None = None) -> list[int] | None:
    """The order (visit indices) that drives least, keeping every window and the end of the
    day; None when there is none (or none driving less than `bound`)."""
    n = problem.size
    if n == 0:
        return []
    layers = _layers(problem, bound)
    if len(layers) < n:
        return None
    best: tuple[int, int, int, int] | None = None  # driving, ends, last, label index
    for (mask, last), labels in layers[n - 1].items():
        if mask != (1 << n) - 1:
            continue
        for index, label in enumerate(labels):
            done = _finish(problem, last, label)
            if done is not None and (best is None or done < best[:2]):
                best = (*done, last, index)
    if best is None or (bound is not None and best[0] >= bound):
        return None
    order: list[int] = []
    mask, last, index = (1 << n) - 1, best[2], best[3]
    for depth in range(n - 1, -1, -1):
        order.append(last)
        parent = layers[depth][mask, last][index][2]
        if parent is None:
            break
        mask, last, index = parent
    return order[::-1]


def keeps_everything(problem: DayProblem) -> bool:
    return exact_order(problem) is not None


@dataclass(frozen=True)
class Fix:
    """One change that would make the day possible: `kind` is "widen" (visit's window later
    by `minutes`), "earlier" (start the day earlier), "later" (finish later) or "move" (the
    visit to another day)."""

    kind: str
    minutes: int = 0
    visit: int | None = None


def _least(check: Callable[[int], bool], limit: int = LONGEST_FIX) -> int | None:
    """The fewest minutes (to 5) for which `check(minutes)` holds, or None past `limit`."""
    if not check(limit):
        return None
    low, high = 0, limit
    while high - low > 5:
        middle = (low + high) // 2
        if check(middle):
            high = middle
        else:
            low = middle
    return high


def what_would_make_it_possible(problem: DayProblem) -> list[Fix]:
    """The smallest changes, one at a time, that would let an order keep everything: each
    flexible visit's window widened, the day started earlier or finished later, or one visit
    moved to another day. Cheapest first."""
    fixes: list[Fix] = []
    for visit in range(problem.size):
        low, high = problem.windows[visit]

        def widened(minutes: int, visit: int = visit, low: int = low, high: int = high) -> bool:
            windows = list(problem.windows)
            windows[visit] = (low - minutes, high + minutes)
            return keeps_everything(replace(problem, windows=windows))

        needed = _least(widened)
        if needed is not None:
            fixes.append(Fix("widen", needed, visit))
    earlier = _least(
        lambda minutes: keeps_everything(
            replace(problem, shift=(problem.shift[0] - minutes, problem.shift[1]))
        )
    )
    if earlier is not None:
        fixes.append(Fix("earlier", earlier))
    later = _least(
        lambda minutes: keeps_everything(
            replace(problem, shift=(problem.shift[0], problem.shift[1] + minutes))
        )
    )
    if later is not None:
        fixes.append(Fix("later", later))
    if problem.size > 1:
        for visit in range(problem.size):
            keep = [job for job in range(problem.size) if job != visit]
            points = [0, *(job + 1 for job in keep)]
            without = DayProblem(
                minutes=[[problem.minutes[a][b] for b in points] for a in points],
                windows=[problem.windows[job] for job in keep],
                service=[problem.service[job] for job in keep],
                shift=problem.shift,
                returns_home=problem.returns_home,
            )
            if keeps_everything(without):
                fixes.append(Fix("move", 0, visit))
    return sorted(fixes, key=lambda fix: (fix.kind == "move", fix.minutes))
