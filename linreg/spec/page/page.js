// linreg's additions to Cucumber's report: every plot shown open instead of behind its file name;
// each feature's row titled with its feature's name (its file beside it); and above the scenarios a
// table of contents: the notes' cells (the features named "Cell N — …"), then linreg's own features;
// each formula of a description ($…$ in the feature, a span.linreg-math here: linreg/spec/formulas.py)
// typeset by KaTeX beside its source, which is hidden.
// The rows are React's: only the text of a title's own node is changed, and nodes are added, never moved.
const names = new Map() // feature file (uri) -> feature name
window.CUCUMBER_MESSAGES.forEach((m) => {
  if (m.gherkinDocument && m.gherkinDocument.feature) names.set(m.gherkinDocument.uri, m.gherkinDocument.feature.name)
})
const openPlots = (root) => root.querySelectorAll?.('details').forEach((d) => { d.open = true })
const titleRows = (root) => root.querySelectorAll?.('button[aria-expanded] > span:last-child').forEach((span) => {
  const text = span.firstChild
  if (span.dataset.uri || !text || !names.has(text.nodeValue)) return
  span.dataset.uri = text.nodeValue
  text.nodeValue = names.get(span.dataset.uri)
  const file = document.createElement('small')
  file.className = 'linreg-uri'
  file.textContent = span.dataset.uri
  span.after(file)
})
const row = (uri) => [...document.querySelectorAll('button[aria-expanded] > span[data-uri]')].find((s) => s.dataset.uri === uri)
const entry = (uri) => {
  const item = document.createElement('li')
  const link = document.createElement('a')
  link.href = '#'
  link.textContent = names.get(uri)
  link.addEventListener('click', (event) => {
    event.preventDefault()
    const span = row(uri)
    if (!span) return
    const button = span.closest('button')
    if (button.getAttribute('aria-expanded') === 'false') button.click()
    button.scrollIntoView()
  })
  item.append(link)
  return item
}
const contents = () => {
  const heading = [...document.querySelectorAll('#content h2')].find((h) => h.textContent === 'Scenarios')
  if (!heading || document.querySelector('nav.linreg-toc')) return
  const uris = [...names.keys()].sort()
  const cells = uris.filter((uri) => /^Cell \d+\b/.test(names.get(uri)))
  const nav = document.createElement('nav')
  nav.className = 'linreg-toc'
  const lists = [['The notes, cell by cell', cells], ['What linreg adds', uris.filter((uri) => !cells.includes(uri))]]
  lists.filter(([, list]) => list.length).forEach(([title, list]) => {
    const h = document.createElement('h2')
    h.textContent = title
    const ol = document.createElement('ol')
    list.forEach((uri) => ol.append(entry(uri)))
    nav.append(h, ol)
  })
  heading.before(nav)
}
const typeset = (root) => root.querySelectorAll?.('span.linreg-math:not([data-typeset])').forEach((span) => {
  span.dataset.typeset = 'yes'
  const math = document.createElement('span')
  math.className = 'linreg-typeset'
  window.katex.render(span.title, math, { throwOnError: false, strict: 'ignore' })
  span.hidden = true
  span.after(math)
})
const improve = (root) => { openPlots(root); titleRows(root); typeset(root); contents() }
improve(document)
new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(improve)))
  .observe(document.getElementById('content'), { childList: true, subtree: true })
