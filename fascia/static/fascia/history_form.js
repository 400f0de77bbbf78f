// The health-history form: a follow-up question (the surgery's date, the weeks of a pregnancy)
// shows only once the answer that opens it is given. Without the script every question shows;
// the server ignores a follow-up whose opening answer is not given.
(function () {
  const questions = document.querySelectorAll("[data-shown-if]");
  if (!questions.length) return;
  const form = questions[0].closest("form");
  function given(name) {
    const found = [];
    form.querySelectorAll(`[name="${name}"]`).forEach((input) => {
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) found.push(input.value);
      } else if (input.value.trim()) {
        found.push(input.value.trim());
      }
    });
    return found;
  }
  function update() {
    questions.forEach((question) => {
      const [name, opening] = question.dataset.shownIf.split("=");
      const answers = given(name);
      const wanted = opening ? opening.split(" ") : [];
      question.hidden = wanted.length ? !answers.some((a) => wanted.includes(a)) : !answers.length;
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
