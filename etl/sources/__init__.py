"""I/O only: read raw inputs into raw records with provenance. No normalization here."""

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same results, faster


class TextDateLoader(_BaseLoader):
    """A safe YAML loader that keeps dates as text: our date parser reads them and
    reports an impossible date (2019-02-30) as a reject instead of crashing."""


TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str):
    """Parse YAML safely, keeping dates as strings."""
    return yaml.load(text, Loader=TextDateLoader)


class InputError(ValueError):
    """An input that cannot be read; ``code`` is the reject reason code, the message its reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
