// The playground's channel: the composer, the messages and the buttons.
//
// Each tab is one conversation (like a Slack thread), identified by a random
// id sent with every message so follow-ups and questions for missing details
// work. Button presses go to /playground/action, whose reply may post a new
// message, replace the message the button was on (as chat.update does), open
// a form (as views.open does) or show a sentence only you see.
"use strict";

const BOT = {name: "Quote Builder Pro", initials: "QB", bot: true};
const conversation = document.getElementById("conversation");
const picker = document.getElementById("user");
const composer = document.getElementById("composer");
const typing = document.getElementById("typing");
let conversationId = newConversationId();
let nextMessageId = 1;
let pending = 0;

function newConversationId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, byte => byte.toString(16).padStart(2, "0")).join("");
}

function currentUser() {
  const option = picker.selectedOptions[0];
  return option
    ? {email: option.value, name: option.dataset.name, initials: initials(option.dataset.name)}
    : {email: "", name: "You", initials: "?"};
}

function initials(name) {
  return (name || "?").split(/\s+/).map(word => word[0] || "").join("").slice(0, 2).toUpperCase();
}

function hue(text) {
  let sum = 0;
  for (const char of text) sum = (sum * 31 + char.charCodeAt(0)) % 360;
  return sum;
}

function avatar(author) {
  const node = document.createElement("div");
  node.className = author.bot ? "avatar bot" : "avatar";
  node.textContent = author.initials;
  if (!author.bot) node.style.background = `hsl(${hue(author.name)}, 45%, 42%)`;
  return node;
}

function heading(author, ephemeral) {
  const head = document.createElement("div");
  head.className = "message-head";
  const name = document.createElement("span");
  name.className = "author";
  name.textContent = author.name;
  head.appendChild(name);
  if (author.bot) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = "APP";
    head.appendChild(badge);
  }
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString([], {hour: "numeric", minute: "2-digit"});
  head.appendChild(time);
  if (ephemeral) {
    const only = document.createElement("span");
    only.className = "only-you";
    only.textContent = "Only visible to you";
    head.appendChild(only);
  }
  return head;
}

// Adds a message to the channel and returns its element.
function post(author, message) {
  const node = document.createElement("article");
  node.className = "message" + (message.ephemeral ? " ephemeral" : "");
  node.dataset.author = author.bot ? "bot" : "user";
  node.dataset.messageId = String(nextMessageId++);
  const body = document.createElement("div");
  body.className = "message-body";
  body.appendChild(heading(author, message.ephemeral));
  body.appendChild(content(message));
  node.append(avatar(author), body);
  conversation.appendChild(node);
  node.scrollIntoView({block: "end"});
  return node;
}

function content(message) {
  if (message.blocks && message.blocks.length) {
    return BlockKit.render(message.blocks, (spec, button) => press(spec, button));
  }
  const text = document.createElement("div");
  text.className = "plain-text";
  text.textContent = message.text || "";
  return text;
}

// Replaces a message's blocks in place, keeping its author and time.
function replace(node, message) {
  const body = node.querySelector(".message-body");
  body.replaceChild(content(message), body.querySelector(".blocks, .plain-text"));
  node.classList.add("updated");
}

async function call(path, payload) {
  pending += 1;
  typing.hidden = false;
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) return body;
    return {post: {text: problem(response.status, body), ephemeral: true}};
  } catch (error) {
    return {post: {text: "The playground server did not answer; check that `quotebot serve` is running.", ephemeral: true}};
  } finally {
    pending -= 1;
    typing.hidden = pending === 0;
  }
}

function problem(status, body) {
  if (typeof body.detail === "string") return body.detail;
  if (status === 422) return "That request was not understood; reload the page and try again.";
  return "Something went wrong on the server; its log says what.";
}

async function ask(text) {
  const user = currentUser();
  post(user, {text});
  const reply = await call("/playground/ask", {text, user: user.email, conversation: conversationId});
  post(BOT, reply.post || reply);
}

async function press(spec, button) {
  if (spec.confirm && !(await confirmed(spec.confirm))) return;
  const message = button.closest(".message");
  button.disabled = true;
  const reply = await call("/playground/action", {
    action_id: spec.action_id,
    value: spec.value || "",
    user: currentUser().email,
    conversation: conversationId,
    message_id: message.dataset.messageId,
  });
  button.disabled = false;
  show(reply, message);
}

function show(reply, message) {
  if (reply.replace) replace(message, reply.replace);
  if (reply.post) post(BOT, reply.post);
  if (reply.open) Modal.open(reply.open, currentUser().email, values => submit(reply.open, values, message));
}

// Sends a form as Slack's view_submission does; errors stay in the form.
async function submit(view, values, message) {
  const reply = await call("/playground/view", {
    callback_id: view.callback_id,
    private_metadata: view.private_metadata || "",
    values,
    user: currentUser().email,
  });
  if (!reply.errors) show(reply, message);
  return reply;
}

// Slack's confirmation dialog: resolves true when the confirm button is chosen.
function confirmed(spec) {
  const dialog = document.getElementById("confirm");
  const fill = (selector, object, fallback) => {
    const node = dialog.querySelector(selector);
    node.replaceChildren(BlockKit.textObject(object || {type: "plain_text", text: fallback}));
  };
  fill(".confirm-title", spec.title, "Are you sure?");
  fill(".confirm-text", spec.text, "");
  fill(".deny", spec.deny, "Cancel");
  fill(".confirm-button", spec.confirm, "Yes");
  dialog.querySelector(".confirm-button").classList.toggle("danger", spec.style === "danger");
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise(resolve => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), {once: true});
  });
}

async function loadReps() {
  const response = await fetch("/playground/reps");
  const reps = response.ok ? await response.json() : [];
  for (const rep of reps) {
    const option = document.createElement("option");
    option.value = rep.email;
    option.dataset.name = rep.name;
    option.textContent = `${rep.name} (${rep.role})`;
    picker.appendChild(option);
  }
  const firstRep = reps.find(rep => rep.role === "rep");
  if (firstRep) picker.value = firstRep.email;
  if (!reps.length) {
    post(BOT, {text: "The store has no reps yet. Run `quotebot demo-data` or import quotes, then reload.", ephemeral: true});
  }
  document.body.dataset.ready = "true";
}

function startOver(note) {
  conversationId = newConversationId();
  const divider = document.createElement("div");
  divider.className = "day-divider";
  divider.textContent = note;
  conversation.appendChild(divider);
}

picker.addEventListener("change", () => startOver(`Now asking as ${currentUser().name}`));
document.getElementById("new-conversation").addEventListener("click", () => startOver("New conversation"));

composer.addEventListener("submit", event => {
  event.preventDefault();
  const input = composer.elements.text;
  const text = input.value.trim();
  input.value = "";
  if (text) ask(text);
});
composer.elements.text.addEventListener("keydown", event => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

loadReps();
