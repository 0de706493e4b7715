from rules.permissions import add_perm as add_perm
from rules.predicates import Predicate as Predicate
from rules.predicates import always_deny as always_deny
from rules.predicates import is_group_member as is_group_member
from rules.predicates import predicate as predicate
