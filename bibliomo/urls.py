from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLPattern, URLResolver, include, path, register_converter, reverse_lazy

from bibliomo.contests import public as contest_public
from bibliomo.core import views as core_views
from bibliomo.core.params import YearConverter
from bibliomo.directory import views as directory_views
from bibliomo.directory.forms import LoginForm, ResetForm
from bibliomo.documents import views as document_views
from bibliomo.events.views import documents as event_documents
from bibliomo.events.views import feeds as event_feeds
from bibliomo.events.views import guests as event_guests
from bibliomo.events.views import participation as event_participation
from bibliomo.portal import views as portal_views
from bibliomo.portal.sitemaps import SITEMAPS
from bibliomo.practices import views as practice_views
from bibliomo.site import views as site_views

register_converter(YearConverter, "year")

admin.site.site_header = "Bibliomo: администрирование"
admin.site.site_title = "Bibliomo"
admin.site.index_title = "Справочники и служебные данные"

account_urls = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        directory_views.ResetRequestView.as_view(
            form_class=ResetForm,
            extra_email_context={"site_url": settings.SITE_URL},
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        directory_views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("invite/<str:token>/", directory_views.invitation_accept, name="invitation_accept"),
    path("unlock/", directory_views.unlock_request, name="unlock_request"),
    path("unlock/<str:token>/", directory_views.unlock, name="unlock"),
]

app_urls: list[URLPattern | URLResolver] = [
    path("", site_views.home, name="home"),
    path("jobs/<uuid:pk>/", core_views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", core_views.job_download, name="job_download"),
    path("", include("bibliomo.directory.urls")),
    path("plans/", include("bibliomo.plans.urls")),
    path("events/", include("bibliomo.events.urls")),
    path("documents/", include("bibliomo.documents.urls")),
    path("portal/", include("bibliomo.portal.urls")),
    path("textbooks/", include("bibliomo.textbooks.urls")),
    path("exchange/", include("bibliomo.exchange.urls")),
    path("privacy/", include("bibliomo.privacy.urls")),
    path("analysis/", include("bibliomo.reviews.urls")),
    path("mentoring/", include("bibliomo.mentoring.urls")),
    path("groups/", include("bibliomo.groups.urls")),
    path("practices/", include("bibliomo.practices.urls")),
    path("consultations/", include("bibliomo.consultations.urls")),
    path("growth/", include("bibliomo.growth.urls")),
    path("contests/", include("bibliomo.contests.urls")),
]

public_urls: list[URLPattern | URLResolver] = [
    path("news/", portal_views.news, name="public_news"),
    path("news/<int:pk>/", portal_views.post_detail, name="public_post"),
    path("news/rss/", portal_views.NewsFeed(), name="news_rss"),
    path("news/atom/", portal_views.NewsAtomFeed(), name="news_atom"),
    path("events/rss/", portal_views.AnnouncementsFeed(), name="announcements_rss"),
    path("events/atom/", portal_views.AnnouncementsAtomFeed(), name="announcements_atom"),
    path("documents/", portal_views.public_documents, name="public_documents"),
    path("documents/<int:pk>/", portal_views.public_document, name="public_document"),
    path("files/<int:pk>/", document_views.download, name="document_file"),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("events/", event_feeds.public_list, name="public_events"),
    path("events/<int:pk>/", event_feeds.public_detail, name="public_event"),
    path("events/<int:pk>/guest/", event_guests.guest_register, name="guest_register"),
    path("events/guest/<str:token>/", event_guests.guest_detail, name="guest"),
    path("events/calendar.ics", event_feeds.public_feed, name="public_events_feed"),
    path("calendar/<str:token>/<str:scope>.ics", event_feeds.personal_feed, name="personal_feed"),
    path("materials/<int:pk>/", event_participation.material_download, name="material_download"),
    path("practices/", practice_views.public_list, name="public_practices"),
    path("practices/<int:pk>/", practice_views.public_detail, name="public_practice"),
    path("contests/", contest_public.public_list, name="public_contests"),
    path("contests/<int:pk>/", contest_public.public_detail, name="public_contest"),
    path("contests/rss/", contest_public.ResultsFeed(), name="contests_rss"),
    path("contests/atom/", contest_public.ResultsAtomFeed(), name="contests_atom"),
    path("verify/<str:number>/", event_documents.certificate_verify, name="certificate_verify"),
]

urlpatterns = [
    path("", portal_views.index, name="portal_index"),
    path("", include(public_urls)),
    path("app/", include(app_urls)),
    path("app/account/", include(account_urls)),
    path("admin/", admin.site.urls),
]
