export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/** Post step: cleanup that must happen even when the job failed. Failures here only warn. */
async function post() {
    // Nothing to clean up yet: the temporary Docker config arrives with the ECR login.
}


/***/ })

};
