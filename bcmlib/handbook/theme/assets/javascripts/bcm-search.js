// Search results copy as they read. Material's search plugin joins the words of Chinese text with
// zero-width spaces (U+200B), which the browser needs to split the index into words; the result list
// shows that text as it is, so a name or a number copied from a result would carry invisible
// characters into a message or a phone. Each result is cleaned as Material adds it to the list.
(() => {
  "use strict"
  const list = document.querySelector(".md-search-result__list")
  if (list === null) return
  const clean = node => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT)
    for (let text = walker.currentNode; text !== null; text = walker.nextNode())
      if (text.nodeType === Node.TEXT_NODE && text.data.includes("\u200b"))
        text.data = text.data.replaceAll("\u200b", "")
  }
  // Only new nodes are watched: changing a text node's data adds none, so cleaning never loops.
  new MutationObserver(records => {
    for (const record of records) record.addedNodes.forEach(clean)
  }).observe(list, { childList: true, subtree: true })
})()
