from factory import django as django
from factory.base import Factory as Factory
from factory.declarations import Iterator as Iterator
from factory.declarations import LazyAttribute as LazyAttribute
from factory.declarations import SelfAttribute as SelfAttribute
from factory.declarations import Sequence as Sequence
from factory.declarations import SubFactory as SubFactory
