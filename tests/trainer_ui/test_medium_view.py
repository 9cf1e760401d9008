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


def test_medium_view_email_thread_shows_the_subject_once_and_each_sender_with_time():
    subject = "€ 486 aan roaming"
    page = thread_html(media_catalogue().media["email"], [
        MessageView(text="Uw factuur klopt niet.", author="Ian Meis", subject=subject, time_label="14:02",
                    from_customer=True),
        MessageView(text="Dank u voor uw e-mail.", author="Telvia", subject=subject, time_label="14:09",
                    from_customer=False),
        MessageView(text="Goed, bel maar morgen.", author="Ian Meis", subject=subject, time_label="14:15",
                    from_customer=True),
    ])
    assert page.count("€ 486 aan roaming") == 1 and page.count("Onderwerp:") == 1
    assert page.count('class="wt-email"') == 3
    heads = page.split('class="wt-email"')[1:]
    for head, sender, time in zip(heads, ["Ian Meis", "Telvia", "Ian Meis"], ["14:02", "14:09", "14:15"]):
        assert f'Van: <span class="wt-sender">{sender}</span>' in head and time in head
    assert page.index("Onderwerp:") < page.index("Uw factuur klopt niet.")


def test_medium_view_tweet_meta_has_no_stray_separator():
    page = thread_html(media_catalogue().media["twitter"],
                       [MessageView(text="Hoi", author="SkyNL", handle="SkyNL", time_label="14:09", from_customer=False)])
    assert '<div class="wt-meta">14:09</div>' in page
