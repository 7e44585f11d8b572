"""Type stubs of the Rust extension module under ``newsevents`` (see ``newsevents.Pipeline``)."""

from typing import List, Optional, Sequence, Tuple, Union

class ModelError(Exception):
    """The model could not be loaded; the message is the command line's."""

class Engine:
    def __init__(
        self,
        model: str,
        threads: Optional[int] = None,
        precision: Optional[str] = None,
        syntax: bool = False,
        batch_size: int = 16,
        window: int = 254,
        actors: Sequence[str] = ...,
        agents: Sequence[str] = ...,
        verbs: Sequence[str] = ...,
    ) -> None: ...
    def analyze_inputs(
        self, inputs: Sequence[Union[str, Tuple[Optional[str], str]]], first: int
    ) -> List[str]: ...
    @property
    def kernel(self) -> str: ...
    @property
    def precision(self) -> str: ...
    @property
    def threads(self) -> int: ...
    @property
    def model(self) -> str: ...
    @property
    def skipped_patterns(self) -> List[str]: ...
    @property
    def tokens_read(self) -> int: ...
