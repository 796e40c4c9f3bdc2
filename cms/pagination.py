"""The page numbers the public lists accept: bounded, so that the document says where they end
and a huge number is a 422 from the validation layer, never an overflow in the database."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"From 1 to {MAX_PAGE}")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Items a page (at most {MAX_PAGE_SIZE})"
        )

    def __init__(self, **kwargs):
        super().__init__(max_page_size=MAX_PAGE_SIZE, **kwargs)
