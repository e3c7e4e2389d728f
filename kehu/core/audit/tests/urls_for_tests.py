"""A tiny URLconf for proving the middleware: a view that saves a record with no actor argument."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from kehu.accounts.models import Department


@csrf_exempt
def rename(request):
    department = Department.objects.get(pk=request.POST["department"])
    department.name = request.POST["name"]
    department.save()
    return HttpResponse("ok")


urlpatterns = [path("rename/", rename)]
