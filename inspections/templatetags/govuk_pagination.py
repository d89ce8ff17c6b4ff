"""The page links of templates/components/pagination.html, worked out without walking every page.

The component used to loop over `paginator.page_range` and test each number, so a list of 22,000
children (440 pages) spent most of its render time deciding not to show 435 links; reliability P3
measures the child list at county scale against a small council, and that loop was what grew.
"""

from django import template

register = template.Library()


@register.simple_tag
def pagination_items(page_obj) -> list[int | None]:
    """Return the page numbers to show in order, None for each gap.

    First, last, the current page and its neighbours; a gap of a single page shows that page
    instead of an ellipsis. The same whatever the number of pages.
    """
    current, last = page_obj.number, page_obj.paginator.num_pages
    shown = sorted({n for n in (1, current - 1, current, current + 1, last) if 1 <= n <= last})
    items: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:
            items.append(number - 1)
        elif number - previous > 2:
            items.append(None)
        items.append(number)
        previous = number
    return items
