// Answers as Markdown (bold, lists, code, headings, links), rendered as Preact elements from marked's tokens: no
// HTML string is ever inserted, so a model's or a document's "<script>" stays text. Raw HTML in the answer is shown
// as the text it is. Leaves of text go through `renderText`, which turns "[n]" markers into citation chips.
import type { ComponentChildren } from "preact";
import { Lexer, type Token, type Tokens } from "marked";

export function Markdown(props: { text: string; renderText: (text: string, key: string) => ComponentChildren }) {
  let tokens: Token[];
  try {
    tokens = Lexer.lex(props.text, { gfm: true, breaks: false });
  } catch {
    return <p>{props.renderText(props.text, "t")}</p>;
  }
  return <>{blocks(tokens, props.renderText, "b")}</>;
}

type RenderText = (text: string, key: string) => ComponentChildren;

function blocks(tokens: Token[], renderText: RenderText, key: string): ComponentChildren[] {
  return tokens.map((t, i) => block(t, renderText, `${key}.${i}`));
}

function block(t: Token, renderText: RenderText, key: string): ComponentChildren {
  switch (t.type) {
    case "paragraph":
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens, renderText, key)}</p>;
    case "heading": {
      const h = t as Tokens.Heading;
      // Headings inside an answer stay small: the answer is one block of the conversation.
      return <p key={key} class="md-heading"><strong>{inline(h.tokens, renderText, key)}</strong></p>;
    }
    case "list": {
      const l = t as Tokens.List;
      const items = l.items.map((item, i) => <li key={`${key}.${i}`}>{blocks(item.tokens, renderText, `${key}.${i}`)}</li>);
      return l.ordered ? <ol key={key} start={typeof l.start === "number" ? l.start : undefined}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case "code":
      return <pre key={key}><code>{(t as Tokens.Code).text}</code></pre>;
    case "blockquote":
      return <blockquote key={key}>{blocks((t as Tokens.Blockquote).tokens, renderText, key)}</blockquote>;
    case "hr":
      return <hr key={key} />;
    case "space":
      return null;
    case "text": {
      const x = t as Tokens.Text;
      return <p key={key}>{x.tokens ? inline(x.tokens, renderText, key) : renderText(x.text, key)}</p>;
    }
    default:
      // html, table and anything newer: shown as the text it was written as.
      return <p key={key}>{renderText(t.raw, key)}</p>;
  }
}

function inline(tokens: Token[] | undefined, renderText: RenderText, key: string): ComponentChildren[] {
  return (tokens ?? []).map((t, i) => inlineToken(t, renderText, `${key}.${i}`));
}

function inlineToken(t: Token, renderText: RenderText, key: string): ComponentChildren {
  switch (t.type) {
    case "strong":
      return <strong key={key}>{inline((t as Tokens.Strong).tokens, renderText, key)}</strong>;
    case "em":
      return <em key={key}>{inline((t as Tokens.Em).tokens, renderText, key)}</em>;
    case "del":
      return <del key={key}>{inline((t as Tokens.Del).tokens, renderText, key)}</del>;
    case "codespan":
      return <code key={key}>{(t as Tokens.Codespan).text}</code>;
    case "br":
      return <br key={key} />;
    case "link": {
      const l = t as Tokens.Link;
      // Only web links open; anything else (javascript:, data:) is shown as its text.
      return /^https?:\/\//i.test(l.href)
        ? <a key={key} href={l.href} target="_blank" rel="noopener noreferrer">{inline(l.tokens, renderText, key)}</a>
        : <span key={key}>{inline(l.tokens, renderText, key)}</span>;
    }
    case "text": {
      const x = t as Tokens.Text;
      return x.tokens ? <span key={key}>{inline(x.tokens, renderText, key)}</span> : <span key={key}>{renderText(x.text, key)}</span>;
    }
    case "escape":
      return <span key={key}>{renderText((t as Tokens.Escape).text, key)}</span>;
    default:
      return <span key={key}>{renderText(t.raw, key)}</span>;
  }
}
