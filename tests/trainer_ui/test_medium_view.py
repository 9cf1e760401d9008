import pytest

from scoring.config import media_catalogue
from trainer.components.medium_view import MessageView, thread_html

HOSTILE = "<script>alert('x')</script> <img src=x onerror=alert(1)> [klik](javascript:alert(1)) **vet**"


@pytest.mark.parametrize("medium_id", sorted(media_catalogue().media))
def test_medium_view_escapes_user_text_on_every_medium(medium_id):
    medium = media_catalogue().media[medium_id]
    page = thread_html(medium, [
        MessageView(text=HOSTILE, author="<b>Sanne</b>", handle="s<x>", followers=12, subject="<i>s</i>", stars=2,
                    from_customer=True),
        MessageView(text=HOSTILE, author="SkyNL", from_customer=False),
    ])
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>Sanne</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_medium_view_tweet_shows_handle_and_followers_in_dutch_notation():
    page = thread_html(media_catalogue().media["twitter"],
                       [MessageView(text="Hallo", author="Sanne de Vries", handle="sannedv", followers=4012, from_customer=True)])
    assert "@sannedv" in page and "4.012 volgers" in page


def test_medium_view_review_shows_the_stars_and_email_the_subject():
    media = media_catalogue().media
    review = thread_html(media["review"], [MessageView(text="Slecht", author="Jan", stars=2, from_customer=True)])
    assert "★★☆☆☆" in review
    email = thread_html(media["email"], [MessageView(text="Beste", author="Jan", subject="Factuur", from_customer=True)],
                        language="en")
    assert "Subject: Factuur" in email


def test_medium_view_whatsapp_puts_customer_and_agent_on_opposite_sides():
    page = thread_html(media_catalogue().media["whatsapp"], [
        MessageView(text="Vraag", author="Jan", from_customer=True),
        MessageView(text="Antwoord", author="Lisa", from_customer=False),
    ])
    assert page.index('wt-bubble them') < page.index('wt-bubble mine')
