"""Files citizens upload (request attachments, idea attachments): what is accepted, told apart
by first bytes, never by names; the form field that takes several; the storage outside the
public media that keeps them; the download answer. The lowest layer: it knows no app, and each
app gives it its own limits and place (docs/architecture.md, "Layers")."""
