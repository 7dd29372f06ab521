from contextlib import ExitStack

from django.db import connections

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the SQL statements a request runs, on every connection (the audit log has
    its own), and answers the count in the X-Bench-Queries header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counting))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
