"""The demo accounts' shared identity, printed in the README: a leaf module, so the account
service can recognise demo accounts without importing the demo seeder (which builds on it)."""

DEMO_PASSWORD = "demo-wachtwoord"
DEMO_DOMAIN = "demo.example"  # a reserved domain: no mail can ever reach anyone
