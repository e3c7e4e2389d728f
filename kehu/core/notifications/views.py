from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kehu.core.notifications.selectors import inbox_for


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", {"notifications": inbox_for(request.user)[:50]})


@login_required
def open_notification(request, pk: int):
    notification = get_object_or_404(inbox_for(request.user), pk=pk)
    if notification.read_at is None:
        inbox_for(request.user).filter(pk=pk).update(read_at=timezone.now())
    return redirect(notification.url or "notifications:inbox")
