// The body chart: click a region to mark it (pain, tension, trigger point…); the marks are
// kept as JSON in the note's hidden "body_chart" field, and the region's area is ticked in
// "Areas treated".
(function () {
  const field = document.getElementById("id_body_chart");
  if (!field) return;
  const labels = JSON.parse(document.getElementById("area-labels").textContent);
  const list = document.querySelector(".mark-list");
  let marks = [];
  try { marks = JSON.parse(field.value || "[]"); } catch (error) { marks = []; }

  const SVG = "http://www.w3.org/2000/svg";
  // A mark kind's shape (defined once in the chart's <defs>), `size` units wide.
  function symbol(markKind, size) {
    const use = document.createElementNS(SVG, "use");
    use.setAttribute("href", `#mark-symbol-${markKind}`);
    use.setAttribute("width", size);
    use.setAttribute("height", size);
    return use;
  }
  const kind = () => document.querySelector("input[name=mark_kind]:checked").value;
  const save = () => { field.value = JSON.stringify(marks); };

  function draw() {
    document.querySelectorAll(".body-chart svg[data-view]").forEach((svg) => {
      const group = svg.querySelector(".marks");
      group.innerHTML = "";
      marks.forEach((mark, index) => {
        if (mark.view !== svg.dataset.view) return;
        const dot = symbol(mark.kind, 16);
        dot.setAttribute("x", mark.x - 8);
        dot.setAttribute("y", mark.y - 8);
        dot.setAttribute("class", "mark");
        dot.addEventListener("click", (event) => {
          event.stopPropagation();
          marks.splice(index, 1);
          save();
          draw();
        });
        group.appendChild(dot);
      });
    });
    list.innerHTML = "";
    marks.forEach((mark) => {
      const item = document.createElement("li");
      const key = document.createElementNS(SVG, "svg");
      key.setAttribute("width", 14);
      key.setAttribute("height", 14);
      key.setAttribute("viewBox", "-8 -8 16 16");
      key.setAttribute("aria-hidden", "true");
      const shape = symbol(mark.kind, 16);
      shape.setAttribute("x", -8);
      shape.setAttribute("y", -8);
      key.appendChild(shape);
      item.append(key, ` ${mark.kind.replace("_", " ")}: ${labels[mark.area] || mark.area} (${mark.view})`);
      list.appendChild(item);
    });
    if (!marks.length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = "None yet.";
      list.appendChild(none);
    }
  }

  document.querySelectorAll(".body-chart .region").forEach((region) => {
    region.addEventListener("click", (event) => {
      const svg = region.ownerSVGElement;
      const box = svg.getBoundingClientRect();
      const scale = 200 / box.width; // the figure is drawn on a 200 x 440 grid
      marks.push({
        area: region.dataset.area,
        kind: kind(),
        view: svg.dataset.view,
        x: Math.round((event.clientX - box.left) * scale),
        y: Math.round((event.clientY - box.top) * scale),
      });
      const box_ = document.querySelector(`input[name=areas_treated][value="${region.dataset.area}"]`);
      if (box_) box_.checked = true;
      save();
      draw();
    });
  });
  draw();
})();
