"""Order model classes so each is defined after the models it references."""

from __future__ import annotations

from collections.abc import Sequence

from apigen.client.domain import Model
from apigen.client.safe_text import ClassName


def dependency_order(models: Sequence[Model]) -> tuple[tuple[Model, ...], tuple[ClassName, ...]]:
    """(models with dependencies first, names of models in a reference cycle).

    Tarjan's algorithm (iterative, so a long reference chain cannot hit the recursion limit)
    emits each strongly connected component after every component it reaches, which is exactly
    "dependencies first"; ties keep document order, so the result is deterministic. Models in a
    cycle need `model_rebuild()` once all of them exist.
    """
    by_name = {model.name: model for model in models}
    position = {model.name: number for number, model in enumerate(models)}
    targets = {
        model.name: sorted((t for t in model.references if t in by_name), key=position.__getitem__)
        for model in models
    }
    index: dict[ClassName, int] = {}
    lowlink: dict[ClassName, int] = {}
    stack: list[ClassName] = []
    on_stack: set[ClassName] = set()
    ordered: list[Model] = []
    cyclic: list[ClassName] = []

    for root in models:
        if root.name in index:
            continue
        work: list[tuple[ClassName, int]] = [(root.name, 0)]
        while work:
            name, next_target = work.pop()
            if next_target == 0:
                index[name] = lowlink[name] = len(index)
                stack.append(name)
                on_stack.add(name)
            descended = False
            for position_in_list in range(next_target, len(targets[name])):
                target = targets[name][position_in_list]
                if target not in index:
                    work.append((name, position_in_list + 1))
                    work.append((target, 0))
                    descended = True
                    break
                if target in on_stack:
                    lowlink[name] = min(lowlink[name], index[target])
            if descended:
                continue
            if lowlink[name] == index[name]:
                component: list[ClassName] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == name:
                        break
                members = sorted(component, key=position.__getitem__)
                ordered.extend(by_name[member] for member in members)
                if len(members) > 1 or name in by_name[name].references:
                    cyclic.extend(members)
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[name])
    return tuple(ordered), tuple(cyclic)
