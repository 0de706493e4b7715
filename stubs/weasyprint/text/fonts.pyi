# The font configuration WeasyPrint makes per render unless one is given (`font_config=`): one
# may be kept for many renders (tools/benchmarks/report.py measures what that saves).
class FontConfiguration:
    def __init__(self) -> None: ...
