"""What each page's template needs beyond the plan itself, computed here so templates only lay it out.

One module per family of pages: the crisis pages, the registers, the runbooks and the monitoring pages;
`shared` holds what several of them use.
"""
