"""Stargate Explained: the sourced Stargate Project dataset, its loader, views and exports.

`load()` returns a `Dataset` of pandas DataFrames; `COLUMNS` documents their public columns.
"""

from .dataset import COLUMNS, Dataset, load
from .problems import DataError, Problem

__all__ = ["COLUMNS", "DataError", "Dataset", "Problem", "load"]
__version__ = "0.1.0"
