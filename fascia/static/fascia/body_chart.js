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

  const kind = () => document.querySelector("input[name=mark_kind]:checked").value;
  const save = () => { field.value = JSON.stringify(marks); };

  function draw() {
    document.querySelectorAll(".body-chart svg").forEach((svg) => {
      const group = svg.querySelector(".marks");
      group.innerHTML = "";
      marks.forEach((mark, index) => {
        if (mark.view !== svg.dataset.view) return;
        const dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        dot.setAttribute("cx", mark.x);
        dot.setAttribute("cy", mark.y);
        dot.setAttribute("r", 5);
        dot.setAttribute("class", `mark mark-${mark.kind}`);
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
      const swatch = document.createElement("span");
      swatch.className = `swatch mark-${mark.kind}`;
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, `${mark.kind.replace("_", " ")}: ${labels[mark.area] || mark.area} (${mark.view})`);
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
