/**
 * Just enough XML for STS's Query-protocol answers: elements, text, entities,
 * CDATA, comments and the XML declaration; attributes are skipped (only
 * `xmlns` appears) and prefixes dropped. One forward pass with indexOf and
 * character checks, no regular expression: linear in the input whatever it
 * holds. Anything that is not one well-formed element (a proxy's HTML page,
 * a truncated body, a DOCTYPE) gives `undefined`.
 */

export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  /** The element's own text (entities decoded, CDATA kept as is), child elements' text excluded. */
  text: string;
}

const MAX_DEPTH = 64;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

function isDigits(s: string, hex: boolean): boolean {
  if (s.length === 0 || s.length > 8) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    const hexLetter = (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!digit && !(hex && hexLetter)) return false;
  }
  return true;
}

/** Text with its five named entities and numeric references decoded; anything else after `&` is kept as it is. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    out += s.slice(from, amp);
    // Entity names are short: look for ';' in a bounded window only (a scan to the end for each '&' would be quadratic).
    let semi = -1;
    for (let k = amp + 1; k < s.length && k <= amp + 12; k++) {
      if (s.charCodeAt(k) === 0x3b) {
        semi = k;
        break;
      }
    }
    const name = semi !== -1 ? s.slice(amp + 1, semi) : undefined;
    let decoded: string | undefined;
    if (name !== undefined) {
      if (name.startsWith('#x') || name.startsWith('#X')) {
        const digits = name.slice(2);
        if (isDigits(digits, true)) decoded = codePoint(Number.parseInt(digits, 16));
      } else if (name.startsWith('#')) {
        const digits = name.slice(1);
        if (isDigits(digits, false)) decoded = codePoint(Number.parseInt(digits, 10));
      } else {
        decoded = NAMED_ENTITIES[name];
      }
    }
    if (decoded !== undefined && semi !== -1) {
      out += decoded;
      from = semi + 1;
    } else {
      out += '&';
      from = amp + 1;
    }
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

function codePoint(n: number): string | undefined {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : undefined;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

/** The root element of `input`, or undefined when it is not one well-formed XML element. */
export function parseXml(input: string): XmlElement | undefined {
  const n = input.length;
  let i = input.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < n) {
    const lt = input.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    const top = stack[stack.length - 1];
    if (top) top.text += decodeEntities(input.slice(i, textEnd));
    else if (!isBlank(input, i, textEnd)) return undefined;
    if (lt === -1) break;

    if (input.startsWith('<?', lt)) {
      const end = input.indexOf('?>', lt + 2);
      if (end === -1) return undefined;
      i = end + 2;
    } else if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      if (end === -1) return undefined;
      i = end + 3;
    } else if (input.startsWith('<![CDATA[', lt)) {
      const end = input.indexOf(']]>', lt + 9);
      if (end === -1 || !top) return undefined;
      top.text += input.slice(lt + 9, end);
      i = end + 3;
    } else if (input.startsWith('<!', lt)) {
      return undefined; // DOCTYPE and declarations: never in an STS answer
    } else if (input.startsWith('</', lt)) {
      const end = input.indexOf('>', lt + 2);
      if (end === -1 || !top) return undefined;
      if (localName(input.slice(lt + 2, end).trim()) !== top.name) return undefined;
      stack.pop();
      if (stack.length === 0) root = top;
      i = end + 1;
    } else {
      if (root) return undefined; // a second root element
      // The tag's end: the first '>' outside a quoted attribute value.
      let j = lt + 1;
      let quote = 0;
      while (j < n) {
        const c = input.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          quote = c;
        } else if (c === 0x3e) {
          break;
        } else if (c === 0x3c) {
          return undefined;
        }
        j++;
      }
      if (j >= n) return undefined;
      const selfClosing = input.charCodeAt(j - 1) === 0x2f;
      let k = lt + 1;
      while (k < j && !isSpace(input.charCodeAt(k)) && input.charCodeAt(k) !== 0x2f) k++;
      const name = localName(input.slice(lt + 1, k));
      if (name === '') return undefined;
      const element: XmlElement = { name, children: [], text: '' };
      if (top) top.children.push(element);
      if (selfClosing) {
        if (!top) root = element;
      } else {
        if (stack.length >= MAX_DEPTH) return undefined;
        stack.push(element);
      }
      i = j + 1;
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** The first child element named `name`. */
export function childOf(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** The text of the element at `path` below `element`, or undefined when there is none. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | undefined {
  let at = element;
  for (const name of path) at = childOf(at, name);
  return at?.text;
}
