// Cucumber Messages (NDJSON on stdin) -> one self-contained HTML page (stdout), by Cucumber's html-formatter.
// The formatter's page is used as it is, plus a few CSS rules (page.css) so that it fits a phone screen,
// and a few lines of script (page.js) that show the plots open.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { CucumberHtmlStream } from '@cucumber/html-formatter'

const chunks = []
const html = new CucumberHtmlStream()
html.pipe(
  new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk)
      done()
    },
  }),
)
html.on('end', () => {
  const css = readFileSync(new URL('./page.css', import.meta.url), 'utf8')
  const js = readFileSync(new URL('./page.js', import.meta.url), 'utf8')
  let page = Buffer.concat(chunks.map((c) => Buffer.from(c))).toString('utf8')
  page = page.replace('</head>', () => `<style>\n${css}</style>\n</head>`)
  const end = page.lastIndexOf('</body>')
  process.stdout.write(`${page.slice(0, end)}<script>\n${js}</script>\n${page.slice(end)}`)
})
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim()) html.write(JSON.parse(line))
}
html.end()
