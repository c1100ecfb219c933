from celery import shared_task


@shared_task(name="core.ping")
def ping() -> dict:
    """Answer with the database the worker sees, to prove a worker runs against it."""
    from accounts.models import User

    from django.db import connection

    return {"pong": True, "vendor": connection.vendor, "users": User.objects.count()}
