"""The demo's texts and scripts, as plain data: pages, consultations, people and discussions
in Arabic, French and English. ``demo.build`` turns them into a site."""
