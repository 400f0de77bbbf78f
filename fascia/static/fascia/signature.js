// A signature pad: strokes drawn on the canvas are kept as an SVG path in the hidden
// "signature" field, so written consent can be given in the browser.
(function () {
  const canvas = document.getElementById("signature-pad");
  const field = document.getElementById("id_signature");
  if (!canvas || !field) return;
  const context = canvas.getContext("2d");
  let drawing = false;
  let path = "";
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return [Math.round(event.clientX - box.left), Math.round(event.clientY - box.top)];
  };
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    const [x, y] = point(event);
    path += `M${x} ${y} `;
    context.beginPath();
    context.moveTo(x, y);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const [x, y] = point(event);
    path += `L${x} ${y} `;
    context.lineTo(x, y);
    context.stroke();
  });
  const stop = () => {
    if (!drawing) return;
    drawing = false;
    field.value = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}"><path d="${path.trim()}" fill="none" stroke="black"/></svg>`;
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointerleave", stop);
  document.getElementById("clear-signature").addEventListener("click", () => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    path = "";
    field.value = "";
  });
})();
