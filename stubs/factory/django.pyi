from django.db.models import Model
from factory import base, declarations

class DjangoModelFactory[M: Model](base.Factory[M]): ...

class Password(declarations.BaseDeclaration[str]):
    """Stores `make_password(password)`, so the user can log in with `password`."""

    def __init__(self, password: str) -> None: ...
