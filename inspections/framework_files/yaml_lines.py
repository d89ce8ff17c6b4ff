"""A PyYAML SafeLoader that records the line of every mapping and key, and notes duplicate keys."""

from __future__ import annotations

from typing import Any

import yaml


class _Map(dict):
    """A dict that remembers the line of its mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are ``_Map``s carrying line numbers; it also notes duplicate keys."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Map:  # type: ignore[override]
        self.flatten_mapping(node)
        mapping = _Map()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                ) from exc
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines:
                self.duplicate_keys.append((line, key))
            mapping.key_lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _construct_yaml_map(loader: _LineLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    # Two-step construction (yield, then fill) as in PyYAML, so recursive structures still work.
    data = _Map()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    built = loader.construct_mapping(node)
    data.update(built)
    data.key_lines = built.key_lines


def _construct_yaml_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2020-13-01 would raise ValueError inside PyYAML, with no line;
    # keep it as text so the date check reports it against its line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_yaml_timestamp)
