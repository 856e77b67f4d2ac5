// Slack modals (views) in the playground: input blocks, pickers that search
// as you type, and a submission in Slack's ``state.values`` shape, with the
// errors the server returns shown under their fields.
"use strict";

const Modal = (() => {
  const dialog = document.getElementById("modal");
  let searchTimer = null;

  function plain(text) {
    return BlockKit.textObject({type: "plain_text", text});
  }

  // An input block's element as a form control that can say its Slack value.
  function control(spec, user) {
    if (spec.type === "number_input") return numberInput(spec);
    if (spec.type === "plain_text_input") return textInput(spec);
    if (spec.type === "external_select") return picker(spec, user);
    if (spec.type === "static_select") return staticSelect(spec);
    const node = document.createElement("span");
    node.className = "bk-unsupported";
    node.textContent = `[${spec.type} works in Slack only]`;
    return {node, value: () => null};
  }

  function numberInput(spec) {
    const node = document.createElement("input");
    node.type = "number";
    node.step = spec.is_decimal_allowed ? "any" : "1";
    if (spec.min_value !== undefined) node.min = spec.min_value;
    if (spec.max_value !== undefined) node.max = spec.max_value;
    node.value = spec.initial_value || "";
    return {node, value: () => ({type: spec.type, value: node.value || null})};
  }

  function textInput(spec) {
    const node = document.createElement(spec.multiline ? "textarea" : "input");
    node.value = spec.initial_value || "";
    return {node, value: () => ({type: spec.type, value: node.value || null})};
  }

  function staticSelect(spec) {
    const node = document.createElement("select");
    node.appendChild(document.createElement("option"));
    for (const option of spec.options || []) {
      const item = document.createElement("option");
      item.value = option.value;
      item.textContent = option.text.text;
      node.appendChild(item);
    }
    if (spec.initial_option) node.value = spec.initial_option.value;
    const selected = () => (spec.options || []).find(option => option.value === node.value);
    return {node, value: () => ({type: spec.type, selected_option: selected() || null})};
  }

  // A text box offering the server's options for what is typed; the option
  // whose text is in the box is the one chosen.
  function picker(spec, user) {
    const node = document.createElement("input");
    const list = document.createElement("datalist");
    list.id = `options-${Math.random().toString(36).slice(2)}`;
    node.setAttribute("list", list.id);
    node.placeholder = spec.placeholder ? spec.placeholder.text : "";
    const known = new Map();
    if (spec.initial_option) {
      known.set(spec.initial_option.text.text, spec.initial_option);
      node.value = spec.initial_option.text.text;
    }
    node.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => search(spec.action_id, node.value, user, list, known), 150);
    });
    const wrapper = document.createElement("span");
    wrapper.append(node, list);
    return {node: wrapper, value: () => ({type: spec.type, selected_option: known.get(node.value) || null})};
  }

  async function search(actionId, typed, user, list, known) {
    if (!typed.trim()) return;
    const query = new URLSearchParams({action_id: actionId, value: typed, user});
    const response = await fetch(`/playground/options?${query}`);
    if (!response.ok) return;
    const {options} = await response.json();
    list.replaceChildren();
    for (const option of options) {
      known.set(option.text.text, option);
      const item = document.createElement("option");
      item.value = option.text.text;
      list.appendChild(item);
    }
  }

  function inputBlock(block, user) {
    const field = document.createElement("div");
    field.className = "modal-field";
    field.dataset.blockId = block.block_id;
    const label = document.createElement("label");
    label.appendChild(plain(block.label.text));
    if (block.optional) {
      const optional = document.createElement("span");
      optional.className = "optional";
      optional.textContent = " (optional)";
      label.appendChild(optional);
    }
    const input = control(block.element, user);
    label.appendChild(input.node);
    field.appendChild(label);
    if (block.hint) field.appendChild(Object.assign(plain(block.hint.text), {className: "hint"}));
    const error = document.createElement("div");
    error.className = "field-error";
    field.appendChild(error);
    return {field, input, error};
  }

  // Opens ``view``; ``submit(values)`` answers {errors} to show, or anything
  // else to close the modal with.
  function open(view, user, submit) {
    const form = dialog.querySelector("form");
    dialog.querySelector(".modal-title").replaceChildren(plain(view.title.text));
    dialog.querySelector(".modal-submit").replaceChildren(plain(view.submit ? view.submit.text : "Submit"));
    dialog.querySelector(".modal-close").replaceChildren(plain(view.close ? view.close.text : "Cancel"));
    const body = dialog.querySelector(".modal-body");
    body.replaceChildren();
    const inputs = {};
    for (const block of view.blocks) {
      if (block.type !== "input") {
        body.appendChild(BlockKit.render([block], () => {}));
        continue;
      }
      const drawn = inputBlock(block, user);
      inputs[block.block_id] = {action: block.element.action_id, ...drawn};
      body.appendChild(drawn.field);
    }
    form.onsubmit = async event => {
      event.preventDefault();
      const values = {};
      for (const [blockId, drawn] of Object.entries(inputs)) {
        values[blockId] = {[drawn.action]: drawn.input.value()};
      }
      const reply = await submit(values);
      for (const [blockId, drawn] of Object.entries(inputs)) {
        drawn.error.textContent = (reply.errors || {})[blockId] || "";
      }
      if (!reply.errors) dialog.close();
    };
    dialog.querySelector(".modal-close").onclick = () => dialog.close();
    dialog.showModal();
  }

  return {open};
})();
