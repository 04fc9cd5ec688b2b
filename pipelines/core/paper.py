"""The paper every page of the site asks for when printed: A4, where its readers are (a
browser's default is the US Letter of its locale), with the same margins for the reports and the
data-quality pages, so that one print check holds for both."""

#: The CSS rule of the printed page.
PAGE_RULE = "@page{size:A4;margin:16mm 14mm}"
