// Block Kit to DOM, close to what Slack draws.
//
// Every text from the server is escaped before it reaches innerHTML; mrkdwn
// only ever adds a fixed set of tags (b, i, s, code, pre, a, blockquote), and
// links keep http(s), mailto and the playground's own paths only.
"use strict";

const BlockKit = (() => {
  const EMOJI = {
    warning: "⚠️", white_check_mark: "✅", heavy_check_mark: "✔️", x: "❌",
    no_entry: "⛔", page_facing_up: "📄", memo: "📝", bar_chart: "📊",
    chart_with_upwards_trend: "📈", chart_with_downwards_trend: "📉",
    moneybag: "💰", money_with_wings: "💸", dollar: "💵", tada: "🎉",
    trophy: "🏆", hourglass: "⌛", hourglass_flowing_sand: "⏳", email: "📧",
    envelope: "✉️", outbox_tray: "📤", wastebasket: "🗑️", pencil2: "✏️",
    information_source: "ℹ️", bulb: "💡", mag: "🔍", rotating_light: "🚨",
    red_circle: "🔴", large_orange_circle: "🟠", large_yellow_circle: "🟡",
    large_green_circle: "🟢", small_red_triangle_down: "🔻",
    small_red_triangle: "🔺", arrow_up: "⬆️", arrow_down: "⬇️", fire: "🔥",
    thinking_face: "🤔", wave: "👋", star: "⭐", calendar: "📅", lock: "🔒",
    package: "📦", handshake: "🤝", crystal_ball: "🔮", robot_face: "🤖",
  };
  const SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/))/i;

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // Slack sends &, < and > escaped inside mrkdwn; these are the characters.
  function slackUnescape(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function safeUrl(url) {
    return SAFE_URL.test(url) ? url : null;
  }

  function emoji(escaped) {
    return escaped.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all);
  }

  // Bold, italics and strike-through need a word boundary outside the marks,
  // so snake_case names and 2*3*4 stay as typed.
  function styles(escaped) {
    const mark = symbol => new RegExp(
      `(^|[^\\w${symbol}])\\${symbol}(?!\\s)([^${symbol}\\n]+?)\\${symbol}(?![\\w${symbol}])`, "g");
    return escaped
      .replace(mark("*"), "$1<b>$2</b>")
      .replace(mark("_"), "$1<i>$2</i>")
      .replace(mark("~"), "$1<s>$2</s>");
  }

  function formatPlain(raw) {
    return emoji(styles(escapeHtml(slackUnescape(raw))));
  }

  function link(target, label) {
    if (target.startsWith("@")) return `<span class="mention">@${escapeHtml(label || target.slice(1))}</span>`;
    if (target.startsWith("#")) return `<span class="mention">#${escapeHtml(label || target.slice(1))}</span>`;
    if (target.startsWith("!")) return `<span class="mention">@${escapeHtml(target.slice(1).split("^")[0])}</span>`;
    const url = safeUrl(slackUnescape(target));
    const text = escapeHtml(slackUnescape(label || target));
    if (!url) return text;
    return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
  }

  // One line: inline code and links are cut out first, the rest is styled.
  function formatInline(raw) {
    const token = /`([^`\n]+)`|<([^<>|\s]+)(?:\|([^<>]*))?>/g;
    let html = "", last = 0, match;
    while ((match = token.exec(raw)) !== null) {
      html += formatPlain(raw.slice(last, match.index));
      html += match[1] !== undefined
        ? `<code>${escapeHtml(slackUnescape(match[1]))}</code>`
        : link(match[2], match[3]);
      last = token.lastIndex;
    }
    return html + formatPlain(raw.slice(last));
  }

  function formatLines(raw) {
    const html = [];
    for (const line of raw.split("\n")) {
      const bullet = line.match(/^\s*(?:•|-|\*)\s+(.*)$/);
      const quote = line.match(/^\s*(?:>|&gt;)\s?(.*)$/);
      if (bullet) html.push(`<div class="li">${formatInline(bullet[1])}</div>`);
      else if (quote) html.push(`<blockquote>${formatInline(quote[1])}</blockquote>`);
      else html.push(formatInline(line) + "<br>");
    }
    return html.join("").replace(/<br>$/, "");
  }

  function mrkdwn(raw) {
    const parts = String(raw).split("```");
    return parts.map((part, index) => index % 2
      ? `<pre>${escapeHtml(slackUnescape(part.replace(/^\n/, "")))}</pre>`
      : formatLines(part)).join("");
  }

  function textObject(object) {
    const span = document.createElement("span");
    if (!object) return span;
    if (object.type === "mrkdwn") span.innerHTML = mrkdwn(object.text);
    else span.innerHTML = object.emoji === false
      ? escapeHtml(object.text) : emoji(escapeHtml(object.text));
    return span;
  }

  function element(tag, className, children = []) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) node.appendChild(child);
    return node;
  }

  function button(spec, onButton) {
    if (spec.url) {
      const anchor = element("a", "bk-button", [textObject(spec.text)]);
      const url = safeUrl(spec.url);
      if (url) anchor.href = url;
      anchor.target = "_blank";
      anchor.rel = "noopener noreferrer";
      anchor.dataset.actionId = spec.action_id || "";
      return anchor;
    }
    const node = element("button", "bk-button", [textObject(spec.text)]);
    node.type = "button";
    if (spec.style === "primary" || spec.style === "danger") node.classList.add(spec.style);
    node.dataset.actionId = spec.action_id || "";
    node.onclick = () => onButton(spec, node);
    return node;
  }

  function interactive(spec, onButton) {
    if (spec.type === "button") return button(spec, onButton);
    if (spec.type === "image") return image(spec, "bk-thumb");
    const node = element("span", "bk-unsupported");
    node.textContent = `[${spec.type} works in Slack only]`;
    return node;
  }

  function image(spec, className) {
    const node = document.createElement("img");
    node.className = className;
    node.alt = spec.alt_text || "";
    const url = spec.image_url || "";
    if (safeUrl(url) || url.startsWith("data:image/")) node.src = url;
    return node;
  }

  const RENDER = {
    header(block) {
      return element("div", "bk-header", [textObject(block.text)]);
    },
    section(block, onButton) {
      const body = element("div", "bk-section-body");
      if (block.text) body.appendChild(element("div", "bk-text", [textObject(block.text)]));
      if (block.fields) {
        body.appendChild(element("div", "bk-fields",
          block.fields.map(field => element("div", "bk-field", [textObject(field)]))));
      }
      const section = element("div", "bk-section", [body]);
      if (block.accessory) {
        section.appendChild(element("div", "bk-accessory",
          [interactive(block.accessory, onButton)]));
      }
      return section;
    },
    actions(block, onButton) {
      return element("div", "bk-actions",
        block.elements.map(spec => interactive(spec, onButton)));
    },
    context(block) {
      return element("div", "bk-context", block.elements.map(spec =>
        spec.type === "image" ? image(spec, "bk-context-image") : textObject(spec)));
    },
    divider() {
      return element("hr", "bk-divider");
    },
    image(block) {
      const figure = element("figure", "bk-image");
      if (block.title) figure.appendChild(element("figcaption", "", [textObject(block.title)]));
      figure.appendChild(image(block, "bk-image-img"));
      return figure;
    },
    markdown(block) {
      const node = element("div", "bk-text");
      node.innerHTML = mrkdwn(block.text);
      return node;
    },
    rich_text(block) {
      return element("div", "bk-rich", block.elements.map(richElement));
    },
  };

  function richElement(part) {
    if (part.type === "rich_text_list") {
      const list = element(part.style === "ordered" ? "ol" : "ul", "");
      for (const item of part.elements) list.appendChild(element("li", "", [richElement(item)]));
      return list;
    }
    const tags = {rich_text_preformatted: "pre", rich_text_quote: "blockquote"};
    const node = element(tags[part.type] || "div", "");
    node.innerHTML = (part.elements || []).map(richInline).join("");
    return node;
  }

  function richInline(part) {
    let html;
    if (part.type === "link") html = link(part.url, part.text);
    else if (part.type === "emoji") html = EMOJI[part.name] || `:${escapeHtml(part.name)}:`;
    else if (part.type === "user") html = `<span class="mention">@${escapeHtml(part.user_id)}</span>`;
    else if (part.type === "channel") html = `<span class="mention">#${escapeHtml(part.channel_id)}</span>`;
    else html = escapeHtml(part.text || "").replace(/\n/g, "<br>");
    const style = part.style || {};
    if (style.code) html = `<code>${html}</code>`;
    if (style.bold) html = `<b>${html}</b>`;
    if (style.italic) html = `<i>${html}</i>`;
    if (style.strike) html = `<s>${html}</s>`;
    return html;
  }

  // The blocks of one message; ``onButton(spec, node)`` runs on a click.
  function render(blocks, onButton) {
    const container = element("div", "blocks");
    for (const block of blocks || []) {
      const draw = RENDER[block.type];
      const node = draw ? draw(block, onButton) : element("div", "bk-unsupported");
      if (!draw) node.textContent = `[${block.type} block]`;
      container.appendChild(node);
    }
    return container;
  }

  return {render, mrkdwn, escapeHtml, textObject};
})();
