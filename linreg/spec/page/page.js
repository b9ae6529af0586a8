// linreg's addition to Cucumber's report: show every plot open instead of behind its file name.
const openPlots = (root) => root.querySelectorAll?.('details').forEach((d) => { d.open = true })
openPlots(document)
new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(openPlots)))
  .observe(document.getElementById('content'), { childList: true, subtree: true })
