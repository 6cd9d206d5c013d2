from django.http import HttpResponse


def franceconnect_callback(request):  # placeholder, being written
    return HttpResponse(status=501)


def franceconnect_logout_callback(request):  # placeholder, being written
    return HttpResponse(status=501)
